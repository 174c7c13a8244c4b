/**
 * One camera's recognition loop: frames from its bounded queue → analyze in the engine pool (at most
 * `maxInFlight` at a time, results applied in frame order) → track → each track's evidence (a fused
 * template over its sightings, track-evidence.ts) → decisions out. A track not recognised yet keeps
 * being sampled while it is in view; a track that breaks (a head turned away, someone walking past)
 * is linked to the recent track in its place whose template agrees, so its evidence carries over.
 * Side effects (DB writes, thumbnails) are callbacks, so this runs in tests with fakes.
 */
import { recordDecision } from '@/lib/attendance/record-decision';
import { FaceTracker, predictedBox, type Box, type Track, type TrackerOptions } from '@/lib/attendance/face-tracker';
import type { SessionTimes, WindowSettings } from '@/lib/attendance/session-window';
import { livenessAction, trackLiveness, type LivenessMode } from '@/lib/attendance/track-liveness';
import { TrackEvidence, type EvidenceOptions, type TrackDecision } from '@/lib/attendance/track-evidence';
import type { Frame } from '@/lib/camera/types';
import type { FrameQueue } from '@/lib/camera/frame-queue';
import type { CameraFrameAnalysis } from '@/lib/face/engine-pool';
import type { FaceTemplate } from '@/lib/face/types';
import { bytesToEmbedding } from '@/lib/face/embedding-bytes';
import { cosine, sightingWeight, type FusedEmbedding } from '@/lib/face/fusion';
import { iou } from '@/lib/face/boxes';
import { ScanSchedule } from '@/lib/face/onnx/scan-plan';
import type { MoodSample } from '@/lib/face/mood';
import type { PendingRecognition } from './attendance-writer';
import type { FaceLabel, LastFrame } from './last-frames';
import { identifyInGallery, type CourseGallery } from './course-gallery';

/** `classMood`: the course counts class mood (the processor then reads every face of one frame per mood interval). */
export type ActiveSession = SessionTimes & { courseId: string; classMood?: boolean };

/** One class-mood frame per camera at most this often: a sample of the room, not of each face's every frame. */
export const MOOD_INTERVAL_MS = 10_000;

export interface UnknownTrack {
  cameraId: string;
  sessionId: string;
  jpeg: Buffer;
  box: Box;
  template: FaceTemplate;
  seenAt: Date;
  /** `suspected_spoof`: recognised as `matchedStudentId` but judged a photo or screen (liveness `block`). */
  kind?: 'unknown' | 'suspected_spoof';
  matchedStudentId?: string | null;
  livenessScore?: number | null;
  /** Names the track for `onUnknownRecognised` (unknown tracks only): `<sessionId>:<trackId>`. */
  trackRef?: string;
}

/** What was decided for one face track: every decision is logged and counted by the caller. */
export type TrackOutcome = {
  cameraId: string;
  sessionId: string;
  trackId: number;
  /** `recognized` goes on to the attendance writer; the others record nothing. */
  outcome:
    | 'recognized'
    | 'suspected-spoof'
    | 'unknown'
    | 'not-enrolled'
    | 'too-early'
    | 'ended'
    | 'not-running'
    | 'no-session';
  /** The recognised student, or for an unknown track the identity the votes leaned to (if any). */
  studentId: string | null;
  /** Mean score of the agreeing votes (recognised), or the best score of any vote (unknown). */
  score: number | null;
  votes: number;
  /** Width (px) of the largest sighting of the face that was embedded: small faces are the usual cause of an unknown. */
  faceWidth: number | null;
  /** Why the track is (so far) unknown (tie, low-score, ambiguous, no-majority). */
  reason?: string;
  /** Recognised after it had been reported unknown: the later, better looks decided it. */
  afterUnknown?: boolean;
  /** Mean liveness score of the track's sightings, when the camera checks liveness. */
  liveness?: number | null;
  /** Recorded, but marked for review: the face looked like a photo or a screen (liveness `flag`). */
  livenessDoubtful?: boolean;
};

export interface CameraProcessingStats {
  processed: number;
  analyzeErrors: number;
  faces: number;
  tracks: number;
  recognized: number;
  unknown: number;
  suspectedSpoofs: number;
  skipped: Record<string, number>;
  lastError: string | null;
  lastProcessedAt: number | null;
}

export interface CameraProcessorDeps {
  cameraId: string;
  queue: FrameQueue<Frame>;
  /** `legacy`: the session's gallery still has students known only by a previous model's templates. */
  /** `liveness`: score each embedded face's liveness too. `mood`: read every face's mood (a class-mood frame). */
  analyze: (
    jpeg: Buffer,
    skipBoxes: Box[],
    legacy: boolean,
    liveness: boolean,
    mood: boolean,
    /** Look for faces only around these boxes (the camera's tracks, between full scans); absent: the whole frame. */
    focusBoxes?: Box[],
  ) => Promise<CameraFrameAnalysis>;
  /** The mood readings of one class-mood frame of a session whose course counts class mood (counts only: no track, no student). */
  onMood?: (sessionId: string, samples: MoodSample[]) => void;
  /** Time between class-mood frames (default MOOD_INTERVAL_MS). */
  moodIntervalMs?: number;
  /** The camera's liveness mode now (an admin may change it while it runs); 'off' when absent. */
  livenessMode?: () => LivenessMode;
  /** A track is live when the mean liveness score of its sightings is at least this. */
  livenessThreshold?: number;
  /** Shared across cameras so N cameras never queue more than the pool can take. */
  limiter: Limiter;
  sessionAt: (cameraId: string, at: Date) => ActiveSession | undefined;
  gallery: (courseId: string, model: string, version: string) => Promise<CourseGallery>;
  onRecognition: (item: PendingRecognition, decision: TrackDecision) => void;
  onUnknown: (track: UnknownTrack, decision: TrackDecision) => void;
  /** Every decided track, whatever the outcome (the worker logs and counts these). */
  onDecision?: (outcome: TrackOutcome) => void;
  /** Every processed frame with its faces and what each track was decided to be (the live view). */
  onFrame?: (frame: LastFrame) => void;
  /**
   * Tracks queued as unknown (their `trackRef`s) were recognised after all: their review entries can go,
   * so a lecturer does not review a student the camera has recorded.
   */
  onUnknownRecognised?: (trackRefs: string[], studentId: string) => void;
  /** A track that broke was linked to an earlier one in the same place (logged by the caller). */
  onLinked?: (link: TrackLink) => void;
  settings: WindowSettings;
  evidence: EvidenceOptions;
  tracker?: TrackerOptions;
  maxInFlight?: number;
}

/** A counting semaphore. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly max: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

export interface TrackLink {
  cameraId: string;
  sessionId: string;
  trackId: number;
  /** The earlier track whose evidence the new one took over. */
  fromTrackId: number;
  /** Cosine of the new track's template and the earlier track's. */
  agreement: number;
  sightings: number;
  /** What the earlier track had been decided to be (recognised stays recognised). */
  decision: TrackDecision['status'] | 'pending';
}

interface TrackState {
  evidence: TrackEvidence;
  frames: number;
  best: { jpeg: Buffer; box: Box; template: FaceTemplate; area: number } | null;
  /** Liveness scores of the embedded sightings. */
  liveness: number[];
  /** Embedded sightings so far in this track itself (linking is tried on its first few). */
  ownSightings: number;
  /** The id of the track this one continues, when it was linked. */
  linkedFrom: number | null;
  /** Where this track's evidence was queued for review as unknown (its own or a continued track's). */
  unknownRefs: string[];
}

/** A track that ended recently: a new track in its place whose template agrees continues it. */
interface EndedTrack {
  trackId: number;
  box: Box;
  endedAt: number;
  state: TrackState;
}

/** How long an ended track can still be continued: a head turned away, a student who stepped out briefly. */
export const LINK_WINDOW_MS = 60_000;
/** Linking is tried on a new track's first sightings only; later it has its own evidence. */
const LINK_TRIES = 3;

export class CameraProcessor {
  readonly stats: CameraProcessingStats = {
    processed: 0,
    analyzeErrors: 0,
    faces: 0,
    tracks: 0,
    recognized: 0,
    unknown: 0,
    suspectedSpoofs: 0,
    skipped: {},
    lastError: null,
    lastProcessedAt: null,
  };
  private readonly tracker: FaceTracker;
  private readonly states = new Map<number, TrackState>();
  /** Tracks that ended within LINK_WINDOW_MS, newest last. */
  private ended: EndedTrack[] = [];
  private sessionId: string | null = null;
  private unapplied = 0;
  /** Whether the current session's gallery has legacy students (learnt from its last frame). */
  private legacyWanted = false;
  private applying: Promise<void> = Promise.resolve();
  private lastMoodFrameAt = -Infinity;
  /** Full scans at least every 2 s; between them only around the faces already tracked (lib/face/onnx/scan-plan.ts). */
  private readonly scan = new ScanSchedule();

  constructor(private readonly deps: CameraProcessorDeps) {
    this.tracker = new FaceTracker(deps.tracker);
  }

  /** Runs until the queue closes or the signal aborts; resolves after the last frame is applied. */
  async run(signal: AbortSignal): Promise<void> {
    const perCamera = new Limiter(this.deps.maxInFlight ?? 2);
    for (;;) {
      await perCamera.acquire();
      const frame = await this.deps.queue.take(signal);
      if (frame === null) {
        perCamera.release();
        break;
      }
      await this.deps.limiter.acquire();
      // Frames already sent but not yet applied: the tracks' frame counters are that far behind.
      const liveness = (this.deps.livenessMode?.() ?? 'off') !== 'off';
      const mood = this.isMoodFrame(frame);
      const focus = this.scan.next(
        frame.receivedAt,
        this.tracker.tracks.map((t) => predictedBox(t, 1 + t.missed + this.unapplied)),
      );
      const analysis = this.deps
        .analyze(frame.jpeg, this.skipBoxes(frame.receivedAt, this.unapplied), this.legacyWanted, liveness, mood, focus)
        .finally(() => this.deps.limiter.release());
      this.unapplied += 1;
      // Applied strictly in frame order: the tracker needs frames in sequence. The camera's slot is
      // freed only once the frame is applied, so the next frame's skip boxes know this frame's tracks.
      this.applying = this.applying.then(() =>
        analysis
          .then((a) => this.apply(frame, a))
          // A failed analysis or gallery load costs this frame only; the chain must keep going.
          .catch((err: unknown) => {
            this.stats.analyzeErrors += 1;
            this.stats.lastError = err instanceof Error ? err.message : String(err);
          })
          .finally(() => {
            this.unapplied -= 1;
            perCamera.release();
          }),
      );
    }
    await this.applying;
  }

  /**
   * Where tracks that need no sighting in the frame seen at `at` are expected: recognised tracks, and
   * the others between their sightings. `ahead`: frames sent before this one and not applied yet, so
   * the track's index in it is that much later.
   */
  private skipBoxes(at: number, ahead = 0): Box[] {
    return this.tracker.tracks
      .filter((t) => {
        const s = this.states.get(t.id);
        return s !== undefined && !s.evidence.wantsSighting(s.frames + ahead, at);
      })
      .map((t) => predictedBox(t, 1 + t.missed + ahead));
  }

  /** Whether this frame is read for class mood: its session's course counts it and the interval has passed. */
  private isMoodFrame(frame: Frame): boolean {
    if (!this.deps.onMood) return false;
    const session = this.deps.sessionAt(this.deps.cameraId, new Date(frame.receivedAt));
    if (!session?.classMood || frame.receivedAt - this.lastMoodFrameAt < (this.deps.moodIntervalMs ?? MOOD_INTERVAL_MS))
      return false;
    this.lastMoodFrameAt = frame.receivedAt;
    return true;
  }

  private skip(reason: string): void {
    this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
  }

  private async apply(frame: Frame, analysis: CameraFrameAnalysis): Promise<void> {
    this.stats.processed += 1;
    this.stats.faces += analysis.faces.length;
    this.stats.lastProcessedAt = Date.now();
    const at = new Date(frame.receivedAt);
    const session = this.deps.sessionAt(this.deps.cameraId, at);
    if ((session?.sessionId ?? null) !== this.sessionId) {
      // Tracks never span two sessions: a face decided in one is seen afresh in the next.
      this.sessionId = session?.sessionId ?? null;
      this.legacyWanted = false;
      this.tracker.clear();
      this.states.clear();
      this.ended = [];
    }
    const update = this.tracker.update(
      analysis.faces.map((f) => f.face.box),
      frame.receivedAt,
    );
    this.retire(update.ended, frame.receivedAt);
    this.stats.tracks += update.started.length;
    if (!session) {
      if (analysis.faces.length > 0) this.skip('no-session');
      return this.report(frame, analysis, update.trackIds);
    }
    const samples = analysis.faces.flatMap((f) => (f.mood ? [f.mood] : []));
    if (samples.length > 0 && session.classMood) this.deps.onMood?.(session.sessionId, samples);
    const probe = analysis.faces.find((f) => f.template !== null)?.template;
    const gallery = probe ? await this.deps.gallery(session.courseId, probe.model, probe.version) : null;
    if (gallery) this.legacyWanted = gallery.legacy.length > 0;
    for (const [i, { face, template, legacy, liveness, brightness }] of analysis.faces.entries()) {
      const trackId = update.trackIds[i] as number;
      let state = this.states.get(trackId);
      if (!state) {
        state = {
          evidence: new TrackEvidence(this.deps.evidence),
          frames: 0,
          best: null,
          liveness: [],
          ownSightings: 0,
          linkedFrom: null,
          unknownRefs: [],
        };
        this.states.set(trackId, state);
      }
      state.frames += 1;
      if (!template || !gallery || state.evidence.recognized) continue;
      // Sightings fuse only when the gallery compares embeddings of the model that made them.
      const { matcher } = gallery;
      const fusable =
        matcher.kind === 'embedding' && template.model === matcher.model && template.version === matcher.version;
      const embedding = fusable ? bytesToEmbedding(template.data) : null;
      state.ownSightings += 1;
      if (embedding && state.linkedFrom === null && state.ownSightings <= LINK_TRIES)
        this.link(trackId, state, face.box, embedding, session.sessionId, frame.receivedAt);
      if (state.evidence.recognized) continue; // it continues a track that was already recognised
      const area = face.box.width * face.box.height;
      if (!state.best || area > state.best.area) state.best = { jpeg: frame.jpeg, box: face.box, template, area };
      if (liveness !== null && liveness !== undefined) state.liveness.push(liveness);
      const weight = sightingWeight({ faceWidth: face.box.width, detectorScore: face.score, brightness });
      const change = await state.evidence.addSighting(
        frame.receivedAt,
        { embedding, weight, faceWidth: face.box.width },
        (fused) => identifyInGallery(gallery, fusedProbe(fused, state.evidence, matcher) ?? template, legacy),
      );
      if (change?.kind === 'unknown') this.reportUnknown(trackId, state, change.decision, session, frame);
      if (change?.kind === 'recognized')
        this.decided(trackId, state, change.decision, session, gallery, frame, change.afterUnknown);
    }
    this.report(frame, analysis, update.trackIds);
  }

  /** Ended tracks are kept a while so that a track starting in their place can continue them. */
  private retire(ended: readonly Track[], now: number): void {
    this.ended = this.ended.filter((e) => now - e.endedAt <= LINK_WINDOW_MS);
    for (const track of ended) {
      const state = this.states.get(track.id);
      this.states.delete(track.id);
      if (state && state.evidence.sightings > 0)
        this.ended.push({ trackId: track.id, box: track.box, endedAt: now, state });
    }
  }

  /**
   * Continues the ended track in this place whose fused template agrees with the new track's first
   * sighting above the matcher's threshold (the bar for "the same person"), when exactly one clearly does.
   * Nobody is linked across people: another person in the same seat does not agree with the template.
   */
  private link(
    trackId: number,
    state: TrackState,
    box: Box,
    embedding: Float32Array,
    sessionId: string,
    now: number,
  ): void {
    const near = this.ended.filter((e) => now - e.endedAt <= LINK_WINDOW_MS && samePlace(e.box, box));
    const scored = near
      .map((e) => {
        const v = e.state.evidence.fused.vector();
        return { e, agreement: v ? cosine(v, embedding) : -1 };
      })
      .sort((a, b) => b.agreement - a.agreement);
    const [best, second] = scored;
    const { threshold, minMargin } = this.deps.evidence;
    if (!best || !(best.agreement > threshold) || (second && best.agreement - second.agreement < minMargin)) return;
    const from = best.e.state;
    state.evidence.inherit(from.evidence);
    state.liveness.unshift(...from.liveness);
    state.unknownRefs.unshift(...from.unknownRefs);
    if (from.best && (!state.best || from.best.area > state.best.area)) state.best = from.best;
    state.linkedFrom = best.e.trackId;
    this.ended = this.ended.filter((e) => e !== best.e);
    this.deps.onLinked?.({
      cameraId: this.deps.cameraId,
      sessionId,
      trackId,
      fromTrackId: best.e.trackId,
      agreement: best.agreement,
      sightings: state.evidence.sightings,
      decision: from.evidence.decision?.status ?? 'pending',
    });
  }

  /**
   * Review entries of tracks that ended unknown in this place and were the same person, whose track broke
   * before it could be linked — their template agrees with this recognised track's, or it was closest to
   * the student this track was recognised as: they go too.
   */
  private claimEndedUnknowns(trackId: number, state: TrackState, studentId: string): string[] {
    const box = this.tracker.get(trackId)?.box;
    const mine = state.evidence.fused.vector();
    if (!box || !mine) return [];
    const claimed = this.ended.filter((e) => {
      if (e.state.unknownRefs.length === 0 || !samePlace(e.box, box)) return false;
      const was = e.state.evidence.decision;
      if (was?.status === 'unknown' && was.bestIdentity === studentId) return true;
      const theirs = e.state.evidence.fused.vector();
      return theirs !== null && cosine(theirs, mine) > this.deps.evidence.threshold;
    });
    this.ended = this.ended.filter((e) => !claimed.includes(e));
    return claimed.flatMap((e) => e.state.unknownRefs);
  }

  private report(frame: Frame, analysis: CameraFrameAnalysis, trackIds: readonly number[]): void {
    if (!this.deps.onFrame) return;
    const faces = analysis.faces.map(({ face }, i) => {
      const decision = this.states.get(trackIds[i] as number)?.evidence.decision ?? null;
      const label: FaceLabel = !decision
        ? { kind: 'pending' }
        : decision.status === 'recognized'
          ? { kind: 'recognized', studentId: decision.identity }
          : { kind: 'unknown' };
      return { box: face.box, label };
    });
    this.deps.onFrame({ jpeg: frame.jpeg, at: frame.receivedAt, faces });
  }

  private base(trackId: number, state: TrackState, votes: number, session: ActiveSession) {
    return {
      cameraId: this.deps.cameraId,
      sessionId: session.sessionId,
      trackId,
      votes,
      faceWidth: state.best ? Math.round(state.best.box.width) : null,
    };
  }

  private seenAt(trackId: number, frame: Frame): Date {
    return new Date(this.tracker.get(trackId)?.firstSeenAt ?? frame.receivedAt);
  }

  /** The first "unknown" of a track: logged and queued for review once; the track keeps being looked at. */
  private reportUnknown(
    trackId: number,
    state: TrackState,
    decision: Extract<TrackDecision, { status: 'unknown' }>,
    session: ActiveSession,
    frame: Frame,
  ): void {
    this.deps.onDecision?.({
      ...this.base(trackId, state, decision.votes, session),
      outcome: 'unknown',
      studentId: decision.bestIdentity,
      score: state.evidence.bestScore,
      reason: decision.reason,
    });
    this.stats.unknown += 1;
    if (!state.best) return;
    const trackRef = `${session.sessionId}:${trackId}`;
    state.unknownRefs.push(trackRef);
    this.deps.onUnknown(
      {
        cameraId: this.deps.cameraId,
        sessionId: session.sessionId,
        jpeg: state.best.jpeg,
        box: state.best.box,
        template: state.best.template,
        seenAt: this.seenAt(trackId, frame),
        trackRef,
      },
      decision,
    );
  }

  private decided(
    trackId: number,
    state: TrackState,
    decision: Extract<TrackDecision, { status: 'recognized' }>,
    session: ActiveSession,
    gallery: CourseGallery,
    frame: Frame,
    afterUnknown: boolean,
  ): void {
    const seenAt = this.seenAt(trackId, frame);
    const refs = [...state.unknownRefs, ...this.claimEndedUnknowns(trackId, state, decision.identity)];
    if (refs.length > 0) {
      this.deps.onUnknownRecognised?.(refs, decision.identity);
      state.unknownRefs = [];
    }
    const base = { ...this.base(trackId, state, decision.votes, session), ...(afterUnknown ? { afterUnknown } : {}) };
    const best = state.best;
    state.best = null;
    const outcome = recordDecision({
      decision,
      session,
      cameraId: this.deps.cameraId,
      seenAt,
      isEnrolled: (id) => gallery.students.has(id),
      settings: this.deps.settings,
    });
    const mode = this.deps.livenessMode?.() ?? 'off';
    const verdict = mode === 'off' ? null : trackLiveness(state.liveness, this.deps.livenessThreshold ?? 0.5);
    const recognised = {
      ...base,
      studentId: decision.identity,
      score: decision.score,
      liveness: verdict?.score ?? null,
    };
    if (outcome.status === 'skipped') {
      this.stats.recognized += 1;
      // 'unknown-face' cannot happen here: the decision is a recognition.
      if (outcome.reason !== 'unknown-face') this.deps.onDecision?.({ ...recognised, outcome: outcome.reason });
      return this.skip(outcome.reason);
    }
    const action = livenessAction(mode, verdict);
    if (action === 'block') {
      // A face that looked like a photo or a screen: no attendance, a review entry with the crop.
      this.stats.suspectedSpoofs += 1;
      this.deps.onDecision?.({ ...recognised, outcome: 'suspected-spoof' });
      if (best) {
        const track = {
          cameraId: this.deps.cameraId,
          sessionId: session.sessionId,
          jpeg: best.jpeg,
          box: best.box,
          template: best.template,
          seenAt,
        };
        this.deps.onUnknown(
          {
            ...track,
            kind: 'suspected_spoof',
            matchedStudentId: decision.identity,
            livenessScore: verdict?.score ?? null,
          },
          decision,
        );
      }
      return;
    }
    this.stats.recognized += 1;
    const doubtful = action === 'record-doubtful';
    this.deps.onDecision?.({
      ...recognised,
      outcome: 'recognized',
      ...(verdict ? { livenessDoubtful: doubtful } : {}),
    });
    const input = verdict
      ? { ...outcome.input, livenessScore: verdict.score, livenessDoubtful: doubtful }
      : outcome.input;
    this.deps.onRecognition(
      { input, courseId: session.courseId, frameArrivedAt: frame.receivedAt, votes: decision.votes },
      decision,
    );
  }
}

/** A track's fused template as a probe: the faces it was made from were this wide on average. */
function fusedProbe(
  fused: FusedEmbedding | null,
  evidence: TrackEvidence,
  matcher: { model: string; version: string },
): FaceTemplate | null {
  const t = fused?.template(matcher.model, matcher.version);
  return t ? { ...t, faceWidth: evidence.faceWidth ?? undefined } : null;
}

/** Two boxes of one seat: centres within a face width of each other and sizes within 1.5×. */
function samePlace(a: Box, b: Box): boolean {
  const ratio = a.width / b.width;
  if (ratio > 1.5 || ratio < 1 / 1.5) return false;
  const dx = a.x + a.width / 2 - (b.x + b.width / 2),
    dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.hypot(dx, dy) <= Math.max(a.width, b.width) || iou(a, b) > 0.3;
}
