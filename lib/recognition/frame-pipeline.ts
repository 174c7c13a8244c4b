/**
 * One camera's path from frame to attendance, in the order a frame takes it:
 *   1. frame     taken off the camera's bounded queue (CameraHub drops the oldest when it is full);
 *   2. analyse   the engine pool finds the faces and embeds those that need a sighting (`run`; at most
 *                `maxInFlight` frames at a time, results applied in frame order);
 *   3. track     faces become tracks (face-tracker.ts); a track that broke is linked to the recent
 *                track in its place whose template agrees, so its evidence carries over (track-links.ts);
 *   4. vote      each sighting joins its track's evidence, matched in the course gallery (track-evidence.ts);
 *   5. decision  a decided track goes through the session rules and the camera's liveness mode
 *                (record-decision.ts, track-liveness.ts) (`decided`);
 *   6. sink      a recognition goes to the attendance sink (attendance-sink.ts), an unknown face to
 *                the review queue (`onUnknown`, review-queue.ts).
 * A track not recognised yet keeps being sampled while it is in view. The sink, the engine and the
 * sessions are passed in, so this runs in tests with fakes.
 *
 * Before a frame takes a slot of the pool, the camera's change gate (lib/camera/change-detector.ts)
 * compares it with the still picture. While nothing changed outside the heads the camera follows and
 * every track is decided — recognised, or reported unknown — (`idle`), at most IDLE_FRAME_MS apart a frame
 * is analysed (so the tracks stay current, and an unknown face still gets its later look every 2 s
 * at the idle rate), with a full scan at least every IDLE_FULL_SCAN_MS for a still, newly arrived face the
 * gate missed, and the gate itself looks at a frame only every IDLE_LOOK_MS; the frames in between are
 * `gated`: not analysed, and the tracks keep their boxes (no tracker update). A change outside the known
 * heads, a track in a burst of looks (not decided yet, or reopened by a clear later look), a new session
 * or a picture that changed as a whole (a full scan) brings the camera back to every frame at once.
 */
import { recordDecision } from '@/lib/attendance/record-decision';
import { FaceTracker, predictedBox, type Box, type TrackerOptions } from '@/lib/attendance/face-tracker';
import type { ActiveSession, WindowSettings } from '@/lib/attendance/session-window';
import { livenessAction, trackLiveness, type LivenessMode } from '@/lib/attendance/track-liveness';
import { TrackEvidence, type EvidenceOptions, type TrackDecision } from '@/lib/attendance/track-evidence';
import { ChangeDetector, type ChangeReport } from '@/lib/camera/change-detector';
import type { Frame } from '@/lib/camera/types';
import { DEFAULT_CAMERA_MIN_FACE_SIZE } from '@/lib/env';
import type { FrameQueue } from '@/lib/camera/frame-queue';
import type { CameraFrameAnalysis, FaceEnginePool } from '@/lib/face/engine-pool';
import type { FaceTemplate } from '@/lib/face/types';
import { bytesToEmbedding } from '@/lib/face/embedding-bytes';
import { sightingWeight, type FusedEmbedding } from '@/lib/face/fusion';
import { ScanSchedule } from '@/lib/face/onnx/scan-plan';
import type { MoodSample } from '@/lib/face/mood';
import type { FaceLabel, LastFrame } from './last-frames';
import type { PendingRecognition } from './attendance-writer';
import { identifyInGallery, type CourseGallery } from './course-gallery';
import { Limiter } from './limiter';
import { LINK_TRIES, TrackLinks, type TrackLink, type TrackState } from './track-links';

/** One class-mood frame per camera at most this often: a sample of the room, not of each face's every frame. */
export const MOOD_INTERVAL_MS = 10_000;
/**
 * A camera idling (nothing changed, every track recognised) analyses a frame at most this often: the
 * issue's 1 frame/s, so its tracks follow a student who leaves and the live view stays current.
 */
export const IDLE_FRAME_MS = 1_000;
/**
 * An idling camera's full scans come at least this often: a student who sat down without the gate
 * seeing it (too small a change) is found within this plus the track's votes (the 10 s).
 */
export const IDLE_FULL_SCAN_MS = 5_000;
/**
 * An idling camera's gate looks at a frame at most this often (2 a second): a student walking in is in
 * view for seconds, so looking at every other VGA frame finds them as surely, at half the decodes.
 */
export const IDLE_LOOK_MS = 500;
/**
 * The later looks at faces already reported unknown come one per camera at most this often, the face
 * that waited longest first (each at most every `resampleMs`). A hall's strangers and far, small faces
 * would otherwise cost an embedding every 2 s each for the whole class; new and undecided faces are
 * never held back, and the attendance row keeps the time the face was first seen, so a later decision
 * only comes later, not with a later time.
 */
export const UNKNOWN_LOOK_EVERY_MS = 1_000;
/**
 * A track not recognised yet keeps the camera at every frame while it is in view: seen in one of its
 * last two analysed frames (the detector misses a small face now and then).
 */
const UNSEEN_MISSES = 2;

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
    | 'one-clear-look'
    | 'not-enrolled'
    | 'too-early'
    | 'ended'
    | 'not-running'
    | 'no-session';
  /**
   * The recognised student; for an unknown track the identity the votes leaned to (if any); for
   * `one-clear-look` (not a verdict yet: the track stays in its burst for a second clear look) the
   * student its clear look matched.
   */
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
  /** Frames not analysed on purpose: nothing changed and every track was recognised (the change gate). */
  gated: number;
  /** Faces embedded (sightings): the costly part of a frame's analysis. */
  embedded: number;
  lastError: string | null;
  lastProcessedAt: number | null;
}

export interface FramePipelineDeps {
  cameraId: string;
  queue: FrameQueue<Frame>;
  /** The engine pool (its frame call, FaceEnginePool.analyzeFrame). */
  engine: Pick<FaceEnginePool, 'analyzeFrame'>;
  /** Smallest face (px) the detector's tiled scan looks for (CAMERA_MIN_FACE_SIZE); absent: the engine's default. */
  minFaceSize?: number;
  /** The mood readings of one class-mood frame of a session whose course counts class mood (counts only: no track, no student). */
  onMood?: (sessionId: string, samples: MoodSample[]) => void;
  /** Time between class-mood frames (default MOOD_INTERVAL_MS). */
  moodIntervalMs?: number;
  /** The camera's liveness mode now (an admin may change it while it runs). */
  livenessMode: () => LivenessMode;
  /** A track is live when the mean liveness score of its sightings is at least this. */
  livenessThreshold?: number;
  /** Shared across cameras so N cameras never queue more than the pool can take. */
  limiter: Limiter;
  sessionAt: (cameraId: string, at: Date) => ActiveSession | undefined;
  gallery: (courseId: string, model: string, version: string) => Promise<CourseGallery>;
  /**
   * Whether the course's probes need the legacy embedders' templates too: its gallery has students known
   * only by a previous model's templates (CourseGalleries.wantsLegacy). Asked before each frame is analysed.
   */
  wantsLegacy: (courseId: string) => boolean;
  /** Where recognitions go (AttendanceSink). */
  sink: { submit(item: PendingRecognition): void };
  /** An unknown or suspected-spoof track's best face, for review (ReviewQueue). */
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

export class FramePipeline {
  readonly stats: CameraProcessingStats = {
    processed: 0,
    analyzeErrors: 0,
    faces: 0,
    tracks: 0,
    recognized: 0,
    unknown: 0,
    suspectedSpoofs: 0,
    skipped: {},
    gated: 0,
    embedded: 0,
    lastError: null,
    lastProcessedAt: null,
  };
  private readonly tracker: FaceTracker;
  private readonly states = new Map<number, TrackState>();
  /** Recently ended tracks, which a new track in their place may continue. */
  private readonly links: TrackLinks;
  private sessionId: string | null = null;
  private unapplied = 0;
  private applying: Promise<void> = Promise.resolve();
  private lastMoodFrameAt = -Infinity;
  /** Full scans at least every 2 s; between them only around the faces already tracked (lib/face/onnx/scan-plan.ts). */
  private readonly scan = new ScanSchedule();
  /** Where the picture changed since it was still (the change gate). */
  private readonly gate: ChangeDetector;
  /** When the last frame sent to the engine arrived. */
  private lastAnalysedAt = -Infinity;
  /** Whether the camera was idling at its last frame (nothing changed, nothing to sample). */
  private idle = false;
  /** When the gate last looked at a frame. */
  private lastLookAt = -Infinity;
  /** When the last later look at a face reported unknown was asked for (UNKNOWN_LOOK_EVERY_MS). */
  private lastUnknownLookAt = -Infinity;

  constructor(private readonly deps: FramePipelineDeps) {
    this.tracker = new FaceTracker(deps.tracker);
    this.links = new TrackLinks(deps.evidence);
    // Without a smallest face (0: the whole frame letterboxed) the gate looks for the default's: more changes, never fewer.
    this.gate = new ChangeDetector({ minFaceSize: deps.minFaceSize || DEFAULT_CAMERA_MIN_FACE_SIZE });
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
      if (this.idle && this.mayPassUnseen(frame)) {
        // Idling between the gate's looks: the frame is read off the stream and let go.
        this.stats.gated += 1;
        perCamera.release();
        continue;
      }
      // A face in view still to be sampled: analysed at once, without the gate's look (its decode would
      // only delay the frame; the background catches up when the camera next looks).
      const seen = this.sampling(frame) ? null : await this.observe(frame);
      const report = seen?.report ?? null;
      const wasIdle = this.idle;
      const idle = seen !== null && !seen.report.changed && (await this.nothingToSample(frame, seen.moved));
      this.idle = idle;
      if (idle && !this.idleFrameDue(frame.receivedAt)) {
        // Nothing to learn from this frame: the tracks keep their boxes, the slot goes to the next frame.
        this.stats.gated += 1;
        perCamera.release();
        continue;
      }
      await this.deps.limiter.acquire();
      this.lastAnalysedAt = frame.receivedAt;
      const session = this.sessionOf(frame);
      // Frames already sent but not yet applied: the tracks' frame counters are that far behind.
      const analysis = this.deps.engine
        .analyzeFrame(frame.jpeg, {
          minFaceSize: this.deps.minFaceSize,
          // A full scan when the picture changed as a whole, or the idle camera saw a change outside the
          // known heads (a face there is found only by a full scan); else the usual schedule.
          focusBoxes: this.scan.next(frame.receivedAt, this.expectedBoxes(), {
            everyMs: idle ? IDLE_FULL_SCAN_MS : undefined,
            full: report !== null && (report.reset || (report.changed && wasIdle)),
          }),
          skipBoxes: this.skipBoxes(frame.receivedAt, this.unapplied),
          legacy: session ? this.deps.wantsLegacy(session.courseId) : false,
          liveness: this.deps.livenessMode() !== 'off',
          mood: this.isMoodFrame(frame, session),
        })
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

  /** Where the camera's tracks are expected in the next frame sent (frames in flight counted). */
  private expectedBoxes(): Box[] {
    return this.tracker.tracks.map((t) => predictedBox(t, 1 + t.missed + this.unapplied));
  }

  /**
   * The gate's look at a frame, and the tracks whose head changed in it (`moved`); null when it cannot
   * decode the frame (the engine then says why).
   */
  private async observe(frame: Frame): Promise<{ report: ChangeReport; moved: Set<number> } | null> {
    const tracks = this.tracker.tracks;
    this.lastLookAt = frame.receivedAt;
    try {
      const report = await this.gate.observe(frame.jpeg, frame.receivedAt, this.expectedBoxes());
      return { report, moved: new Set(report.known.map((i) => tracks[i]!.id)) };
    } catch {
      return null;
    }
  }

  /**
   * Whether no face in view holds the camera at every frame: every track is decided (recognised, or
   * reported unknown: its later looks, one every 2 s, fit in the idle rate) and out of its bursts (a
   * clear later look reopens one, see TrackEvidence.bursting), or, still in a burst, was
   * missed by the detector in the last UNSEEN_MISSES analysed frames and its head did not change (not
   * in view: a face that went, or a detector's one-off; if it comes back its head changes, else the
   * next full scan finds it). True too with no track (an empty room), and with no session (nothing to
   * record). Waits for the frames in flight first: a track they start or decide counts.
   */
  private async nothingToSample(frame: Frame, moved: Set<number>): Promise<boolean> {
    if (this.unapplied > 0) await this.applying;
    const session = this.sessionOf(frame);
    if ((session?.sessionId ?? null) !== this.sessionId) return false; // a new session starts afresh
    if (!session) return true;
    return this.tracker.tracks.every(
      (t) => this.states.get(t.id)?.evidence.bursting === false || (t.missed >= UNSEEN_MISSES && !moved.has(t.id)),
    );
  }

  /**
   * Whether, as far as the frames applied so far tell, a face in view is in a burst of looks (not decided
   * yet, or reopened by a clear later look; seen in one of its last UNSEEN_MISSES analysed frames) in the
   * frame's session: the frame is analysed.
   */
  private sampling(frame: Frame): boolean {
    const session = this.sessionOf(frame);
    if (!session || session.sessionId !== this.sessionId) return false;
    return this.tracker.tracks.some(
      (t) => t.missed < UNSEEN_MISSES && this.states.get(t.id)?.evidence.bursting !== false,
    );
  }

  /**
   * For a camera that was idling at its last frame: whether this one can go without the gate's look
   * (IDLE_LOOK_MS not passed since the last look, no analysis due, and nothing to sample in it).
   */
  private mayPassUnseen(frame: Frame): boolean {
    const at = frame.receivedAt;
    if (at < this.lastLookAt || at - this.lastLookAt >= IDLE_LOOK_MS || this.idleFrameDue(at)) return false;
    return !this.sampling(frame) && (this.sessionOf(frame)?.sessionId ?? null) === this.sessionId;
  }

  /** The session the camera's room holds when the frame arrived, if any. */
  private sessionOf(frame: Frame): ActiveSession | undefined {
    return this.deps.sessionAt(this.deps.cameraId, new Date(frame.receivedAt));
  }

  /** For an idling camera: whether this frame is analysed anyway (IDLE_FRAME_MS passed, or a full scan is due). */
  private idleFrameDue(at: number): boolean {
    return (
      at - this.lastAnalysedAt >= IDLE_FRAME_MS || at < this.lastAnalysedAt || this.scan.due(at, IDLE_FULL_SCAN_MS)
    );
  }

  /**
   * Where tracks that need no sighting in the frame seen at `at` are expected: recognised tracks, the
   * others between their sightings, and faces reported unknown (and out of a reopened burst) beyond the
   * one later look the camera gives them per UNKNOWN_LOOK_EVERY_MS (the longest waiting gets it). `ahead`: frames sent before this
   * one and not applied yet, so the track's index in it is that much later.
   */
  private skipBoxes(at: number, ahead = 0): Box[] {
    const wanting = new Set<number>();
    let unknownLook: { id: number; last: number } | null = null;
    for (const t of this.tracker.tracks) {
      const s = this.states.get(t.id);
      if (!s || !s.evidence.wantsSighting(s.frames + ahead, at)) continue;
      if (s.evidence.bursting) wanting.add(t.id);
      else if (!unknownLook || s.evidence.lastSeenAt < unknownLook.last)
        unknownLook = { id: t.id, last: s.evidence.lastSeenAt };
    }
    if (unknownLook && (at - this.lastUnknownLookAt >= UNKNOWN_LOOK_EVERY_MS || at < this.lastUnknownLookAt)) {
      wanting.add(unknownLook.id);
      this.lastUnknownLookAt = at;
    }
    return this.tracker.tracks.filter((t) => !wanting.has(t.id)).map((t) => predictedBox(t, 1 + t.missed + ahead));
  }

  /** Whether this frame is read for class mood: its session's course counts it and the interval has passed. */
  private isMoodFrame(frame: Frame, session: ActiveSession | undefined): boolean {
    if (!this.deps.onMood) return false;
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
    const session = this.sessionOf(frame);
    if ((session?.sessionId ?? null) !== this.sessionId) {
      // Tracks never span two sessions: a face decided in one is seen afresh in the next.
      this.sessionId = session?.sessionId ?? null;
      this.tracker.clear();
      this.states.clear();
      this.links.clear();
    }
    const update = this.tracker.update(
      analysis.faces.map((f) => f.face.box),
      frame.receivedAt,
    );
    this.links.retire(update.ended, this.states, frame.receivedAt);
    this.stats.tracks += update.started.length;
    if (!session) {
      if (analysis.faces.length > 0) this.skip('no-session');
      return this.report(frame, analysis, update.trackIds);
    }
    const samples = analysis.faces.flatMap((f) => (f.mood ? [f.mood] : []));
    if (samples.length > 0 && session.classMood) this.deps.onMood?.(session.sessionId, samples);
    const probe = analysis.faces.find((f) => f.template !== null)?.template;
    const gallery = probe ? await this.deps.gallery(session.courseId, probe.model, probe.version) : null;
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
      if (template) this.stats.embedded += 1;
      if (!template || !gallery || state.evidence.recognized) continue;
      // Sightings fuse only when the gallery compares embeddings of the model that made them.
      const { matcher } = gallery;
      const fusable =
        matcher.kind === 'embedding' && template.model === matcher.model && template.version === matcher.version;
      const embedding = fusable ? bytesToEmbedding(template.data) : null;
      state.ownSightings += 1;
      if (embedding && state.linkedFrom === null && state.ownSightings <= LINK_TRIES) {
        const link = this.links.link(state, face.box, embedding, frame.receivedAt);
        if (link) {
          const { cameraId } = this.deps;
          const sightings = state.evidence.sightings;
          this.deps.onLinked?.({ cameraId, sessionId: session.sessionId, trackId, ...link, sightings });
        }
      }
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
      if (change?.kind === 'lead')
        this.deps.onDecision?.({
          ...this.base(trackId, state, state.evidence.sightings, session),
          outcome: 'one-clear-look',
          studentId: change.identity,
          score: change.score,
        });
      if (change?.kind === 'unknown') this.reportUnknown(trackId, state, change.decision, session, frame);
      if (change?.kind === 'recognized')
        this.decided(trackId, state, change.decision, session, gallery, frame, change.afterUnknown);
    }
    this.report(frame, analysis, update.trackIds);
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
    const box = this.tracker.get(trackId)?.box;
    const mine = state.evidence.fused.vector();
    const claimed = box && mine ? this.links.claimUnknowns(box, mine, decision.identity) : [];
    const refs = [...state.unknownRefs, ...claimed];
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
    const mode = this.deps.livenessMode();
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
    this.deps.sink.submit({
      input,
      courseId: session.courseId,
      frameArrivedAt: frame.receivedAt,
      votes: decision.votes,
    });
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
