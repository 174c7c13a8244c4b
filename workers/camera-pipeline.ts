/**
 * The camera stage of the worker, wiring only: cameras (camera-registry) → one CameraHub → a
 * CameraProcessor per camera → AttendanceWriter / UnknownFaceStore; sessions from the session cache;
 * the web app's internal routes (pushed frames, last frame) from workers/internal-routes.ts.
 * Which cameras run here is decided by the camera leases (lease-manager): a camera starts when its
 * lease is taken and stops the moment it is lost; every write for it carries the lease.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EvidenceOptions } from '@/lib/attendance/track-evidence';
import { CameraHub } from '@/lib/camera/camera-hub';
import type { FrameQueue } from '@/lib/camera/frame-queue';
import type { Frame } from '@/lib/camera/types';
import { recordAttendance } from '@/lib/data/attendances';
import {
  claimLeases,
  ensureLeaseRows,
  leaseCounts,
  releaseLease,
  renewLeases,
  type LeaseFence,
} from '@/lib/data/camera-leases';
import { markCameraSeen } from '@/lib/data/cameras';
import { claimEvent, purgeEventClaims } from '@/lib/data/event-claims';
import { throttledSeen } from '@/lib/devices/ingest-frame';
import { heartbeatWorker, listWorkers, retireWorker } from '@/lib/data/workers';
import { AppError } from '@/lib/errors';
import { listTemplatesForCourse } from '@/lib/data/face-templates';
import { countStaleTemplatesForCourse, galleryStamps, studentNames } from '@/lib/data/recognition-lookups';
import { isStudentEnrolled } from '@/lib/data/courses';
import { GalleryWatch } from '@/lib/recognition/gallery-watch';
import {
  insertOrJoinUnknownFace,
  purgeUnknownFacesBefore,
  withdrawUnreviewedUnknownFace,
} from '@/lib/data/unknown-faces';
import type { Env } from '@/lib/env';
import { LIVENESS_THRESHOLD } from '@/lib/face/config';
import type { FaceEnginePool } from '@/lib/face/engine-pool';
import { embedderIdentity, type EmbedderName } from '@/lib/face/engine-identity';
import type { Logger } from '@/lib/log';
import {
  attendanceWritesDroppedTotal,
  cameraLeaseChangesTotal,
  trackDecisionsTotal,
  workerCameras,
} from '@/lib/metrics';
import { AttendanceJournal } from '@/lib/recognition/attendance-journal';
import { AttendanceWriter } from '@/lib/recognition/attendance-writer';
import { CameraProcessor, Limiter, type TrackOutcome } from '@/lib/recognition/camera-processor';
import { CameraRegistry, loadCameraRows, type CameraRow } from '@/lib/recognition/camera-registry';
import { CourseGalleries } from '@/lib/recognition/course-gallery';
import { LastFrames } from '@/lib/recognition/last-frames';
import { LeaseManager, type FenceState, type LeaseStore } from '@/lib/recognition/lease-manager';
import { matcherFactory } from '@/lib/recognition/matcher-factory';
import { cameraStats, pipelineEvents, type CameraStats } from '@/lib/recognition/pipeline-stats';
import { renderLastFrame } from '@/lib/recognition/render-last-frame';
import { SessionCache } from '@/lib/recognition/session-cache';
import { startUnknownFacePurge } from '@/lib/recognition/unknown-face-purge';
import { UnknownFaceStore } from '@/lib/recognition/unknown-face-store';
import { MoodTally } from '@/lib/recognition/mood-tally';
import { addSessionMood } from '@/lib/data/session-mood';
import { getStorage } from '@/lib/storage';
import type { HeldConnection } from '@/lib/devices/internal-test-frame';
import { internalRoutes } from './internal-routes';

/** How often a pull camera's last_seen_at is written while frames arrive (well inside CAMERA_OFFLINE_MINUTES). */
const CAMERA_SEEN_INTERVAL_MS = 5_000;

export interface CameraPipelineOptions {
  pool: FaceEnginePool;
  settings: Env;
  log: Logger;
  /** Smallest face (px) the detector's tiled scan looks for; 0 = whole frame only (fastest). */
  minFaceSize?: number;
  /** The pool's legacy embedders (EngineOptions.legacyEmbedders): galleries keep their students. */
  legacyEmbedders?: EmbedderName[];
  sessionRefreshMs?: number;
  /** Overrides of the per-track decision rules (benchmarks and tests; the defaults are the product's). */
  evidence?: Partial<Omit<EvidenceOptions, 'threshold'>>;
  /** Time between class-mood frames per camera (default MOOD_INTERVAL_MS, 10 s). */
  moodIntervalMs?: number;
}

export interface CameraPipeline {
  stats(): {
    cameras: CameraStats[];
    writer: ReturnType<AttendanceWriter['stats']>;
    sessionsCached: number;
    leases: ReturnType<LeaseManager['snapshot']>;
  };
  /** Handles POST /internal/frames/:cameraId and GET /internal/cameras/:cameraId/last-frame; false for any other request. */
  handleInternal(req: IncomingMessage, res: ServerResponse): boolean;
  /** The connection this worker holds to a pull camera reading `url` ("Test connection" uses it); else undefined. */
  heldConnection(cameraId: string, url: string): HeldConnection | undefined;
  stop(): Promise<void>;
}

/** Logs and counts every decided track ('recognized' is logged once its row is written). */
function logDecision(log: Logger, camera: string, d: TrackOutcome): void {
  trackDecisionsTotal.inc({ camera, outcome: d.outcome });
  if (d.outcome === 'recognized') {
    // Logged again when written ('attendance recorded'); this line says the later looks decided it.
    if (d.afterUnknown)
      log.info(
        {
          camera,
          sessionId: d.sessionId,
          track: d.trackId,
          studentId: d.studentId,
          score: d.score,
          votes: d.votes,
          faceWidth: d.faceWidth,
        },
        'unknown face track recognised after more looks',
      );
    return;
  }
  const where = { camera, sessionId: d.sessionId, track: d.trackId, votes: d.votes, faceWidth: d.faceWidth };
  if (d.outcome === 'unknown')
    log.info({ ...where, bestScore: d.score, closestStudentId: d.studentId, reason: d.reason }, 'unknown face track');
  else if (d.outcome === 'suspected-spoof')
    log.warn(
      { ...where, studentId: d.studentId, score: d.score, liveness: d.liveness },
      'suspected spoof: recognised face looked like a photo or a screen; not recorded, queued for review',
    );
  else
    log.info({ ...where, studentId: d.studentId, score: d.score, reason: d.outcome }, 'recognised face not recorded');
}

const DB_LEASES: LeaseStore = {
  heartbeat: heartbeatWorker,
  ensureRows: ensureLeaseRows,
  renew: renewLeases,
  claim: claimLeases,
  release: releaseLease,
  counts: leaseCounts,
  workers: listWorkers,
  retire: retireWorker,
};

/** The lease a write for the camera carries; throws when the camera is not (or not provably) ours. */
function fenceOrThrow(state: FenceState, cameraId: string): LeaseFence {
  if (state === 'lost')
    throw new AppError('CONFLICT', `camera ${cameraId} is not leased to this worker; the write was refused`, {
      details: { reason: 'lease-lost' },
    });
  // Not an AppError: the writer keeps the item and retries once the lease is renewed (or known lost).
  if (state === 'unknown') throw new Error(`lease of camera ${cameraId} could not be renewed yet; write waits`);
  return state;
}

function startWriter(
  settings: Env,
  log: Logger,
  registry: () => CameraRegistry,
  fence: (cameraId: string) => LeaseFence,
): { writer: AttendanceWriter; journal: AttendanceJournal; replay: () => void } {
  // Recognitions waiting for the database survive a crash: journaled under DATA_DIR/journal/<WORKER_ID>.jsonl,
  // replayed (by this worker only) once the leases are known.
  const journal = new AttendanceJournal(settings.DATA_DIR, settings.WORKER_ID);
  const writer = new AttendanceWriter({
    record: (input) => recordAttendance(input, input.cameraId ? fence(input.cameraId) : undefined),
    isEnrolled: isStudentEnrolled,
    journal,
    onDropped: (item) => {
      attendanceWritesDroppedTotal.inc();
      log.error(
        { studentId: item.input.studentId, sessionId: item.input.sessionId, seenAt: item.input.seenAt },
        'attendance write buffer full; oldest recognition dropped',
      );
    },
    onWritten: ({ result, input, frameArrivedAt, votes }) => {
      const entry = input.cameraId ? registry().get(input.cameraId) : undefined;
      if (entry && result.created) entry.recorded += 1;
      const a = result.attendance;
      log.info(
        {
          studentId: a.studentId,
          sessionId: a.sessionId,
          camera: entry?.name ?? input.cameraId,
          score: input.confidence,
          votes,
          status: a.status,
          created: result.created,
          liveness: input.livenessScore ?? null,
          livenessDoubtful: input.livenessDoubtful ?? false,
        },
        result.created ? 'attendance recorded' : 'attendance already recorded for this session',
      );
      pipelineEvents.emit('attendance', {
        sessionId: a.sessionId,
        studentId: a.studentId,
        cameraId: a.cameraId,
        status: a.status,
        confidence: a.confidence,
        created: result.created,
        at: a.timestamp.toISOString(),
        latencyMs: frameArrivedAt ? Date.now() - frameArrivedAt : null,
      });
    },
    onRejected: (item, reason) =>
      log.warn({ studentId: item.input.studentId, sessionId: item.input.sessionId, reason }, 'attendance not recorded'),
    onError: (err, buffered) =>
      log.warn(
        { err: err instanceof Error ? err.message : String(err), buffered },
        'database unavailable; recognitions buffered',
      ),
  });
  const replay = () => {
    const replayed = journal.pending();
    if (replayed.length === 0) return;
    log.info(
      { recognitions: replayed.length, journal: journal.file },
      'replaying recognitions not written before the last stop',
    );
    writer.restore(replayed);
  };
  return { writer, journal, replay };
}

export async function startCameraPipeline(opts: CameraPipelineOptions, signal: AbortSignal): Promise<CameraPipeline> {
  const { pool, settings, log } = opts;
  const windowSettings = {
    earlyMinutes: settings.ATTENDANCE_EARLY_MINUTES,
    lateMinutes: settings.ATTENDANCE_LATE_MINUTES,
  };
  // Class mood: counts per session only (PRIVACY.md), for courses that turned it on.
  const moodTally = new MoodTally({ add: addSessionMood, log });
  moodTally.start();
  const matchers = matcherFactory(settings);
  const evidence = matchers.evidenceOptions(opts.evidence);
  const legacy = (opts.legacyEmbedders ?? []).map(embedderIdentity);
  const galleries = new CourseGalleries({
    listTemplates: listTemplatesForCourse,
    countStale: countStaleTemplatesForCourse,
    createMatcher: matchers.createMatcher,
    legacy,
  });
  // New enrolments and photos reach the galleries at the next session refresh, not after the gallery's own 60 s.
  const galleryWatch = new GalleryWatch({
    stamps: galleryStamps,
    invalidate: (courseId) => galleries.invalidate(courseId),
    log,
  });
  const refreshSessions = () =>
    sessions
      .refresh(registry.places())
      .then(() => galleryWatch.check(sessions.courseIds))
      .then(() => undefined);
  const sessions = new SessionCache(windowSettings, log);
  const lastFrames = new LastFrames();
  const fence = (cameraId: string) => fenceOrThrow(leases.fence(cameraId), cameraId);
  const unknownStore = new UnknownFaceStore({
    storage: getStorage,
    // A face already queued for this session by this camera (before a restart, say) joins that entry.
    insert: (row) =>
      insertOrJoinUnknownFace(row, {
        fence: row.cameraId ? fence(row.cameraId) : undefined,
        joinAbove: settings.MATCHER === 'embedding' ? evidence.threshold : undefined,
      }),
    purgeBefore: purgeUnknownFacesBefore,
    withdraw: withdrawUnreviewedUnknownFace,
  });
  // Unknown faces queued for review, by camera and track, until their track is recognised after all.
  const queuedUnknowns = new Map<string, Promise<string | null>>();
  // Saves and withdrawals of review entries still under way: stop() lets them finish.
  const reviewWork = new Set<Promise<unknown>>();
  const inFlight = <T>(p: Promise<T>): Promise<T> => {
    // Failures are handled (logged) where `p` is used; this copy only tracks that it is still running.
    const done: Promise<unknown> = p.catch(() => undefined).finally(() => reviewWork.delete(done));
    reviewWork.add(done);
    return p;
  };
  const withdrawRecognised = (cameraId: string, camera: string, trackRefs: string[], studentId: string) => {
    for (const ref of trackRefs) {
      const saved = queuedUnknowns.get(`${cameraId}/${ref}`);
      queuedUnknowns.delete(`${cameraId}/${ref}`);
      if (!saved) continue;
      void inFlight(
        saved
          .then((unknownId) => (unknownId ? unknownStore.withdraw(unknownId) : false))
          .then(
            (gone) =>
              gone &&
              log.info({ camera, track: ref, studentId }, 'unknown face withdrawn from review: recognised later'),
            (err: unknown) => log.warn({ err: String(err), camera, track: ref }, 'unknown face not withdrawn'),
          ),
      );
    }
  };
  const markSeen = throttledSeen((cameraId) => markCameraSeen(cameraId, 'online'), CAMERA_SEEN_INTERVAL_MS);
  const hub = new CameraHub({
    defaultQueueCapacity: 4,
    logger: log,
    onStateChange: (cameraId, state) => log.info({ cameraId, state }, 'camera state'),
    // A pull camera's online status comes from the frames it delivers here (push cameras: the web app marks them).
    onFrame: (cameraId) => {
      if (registry.get(cameraId)?.mode === 'pull' && leases.holds(cameraId)) markSeen(cameraId);
    },
  });
  const limiter = new Limiter(pool.size * 2);

  const createProcessor = (camera: CameraRow, queue: FrameQueue<Frame>): CameraProcessor =>
    new CameraProcessor({
      cameraId: camera.cameraId,
      queue,
      analyze: (jpeg, skipBoxes, legacyWanted, liveness, mood, focusBoxes) =>
        pool.analyzeFrame(jpeg, {
          minFaceSize: opts.minFaceSize ?? settings.CAMERA_MIN_FACE_SIZE,
          focusBoxes,
          skipBoxes,
          legacy: legacyWanted,
          liveness,
          mood,
        }),
      onMood: (sessionId, samples) => moodTally.record(sessionId, samples),
      moodIntervalMs: opts.moodIntervalMs,
      livenessMode: () => registry.livenessMode(camera.cameraId),
      livenessThreshold: LIVENESS_THRESHOLD,
      limiter,
      sessionAt: (cameraId, at) => sessions.activeAt(cameraId, at),
      gallery: (courseId, model, version) => galleries.get(courseId, model, version),
      // A decision reached after the lease is gone (frames in flight when it was lost) goes nowhere.
      onRecognition: (item) =>
        leases.holds(camera.cameraId)
          ? writer.submit(item)
          : log.warn(
              { camera: camera.name, studentId: item.input.studentId },
              'recognition dropped: camera lease no longer held',
            ),
      onUnknown: (track) => {
        if (!leases.holds(camera.cameraId)) return;
        const saving = inFlight(unknownStore.save(track));
        if (track.trackRef) {
          queuedUnknowns.set(
            `${camera.cameraId}/${track.trackRef}`,
            saving.catch(() => null),
          );
          // Bounded: the oldest entries go (their faces then simply stay in the review queue).
          if (queuedUnknowns.size > 10_000) queuedUnknowns.delete(queuedUnknowns.keys().next().value as string);
        }
        saving.then(
          (unknownId) =>
            pipelineEvents.emit('unknown', {
              cameraId: track.cameraId,
              sessionId: track.sessionId,
              unknownId,
              kind: track.kind ?? 'unknown',
              at: track.seenAt.toISOString(),
            }),
          (err: unknown) => log.warn({ err, cameraId: track.cameraId }, 'unknown face not saved'),
        );
      },
      onDecision: (d) => logDecision(log, camera.name, d),
      onFrame: (frame) => lastFrames.set(camera.cameraId, frame),
      onUnknownRecognised: (refs, studentId) => withdrawRecognised(camera.cameraId, camera.name, refs, studentId),
      onLinked: (link) =>
        log.info(
          {
            camera: camera.name,
            sessionId: link.sessionId,
            track: link.trackId,
            continues: link.fromTrackId,
            agreement: link.agreement,
            sightings: link.sightings,
            decision: link.decision,
          },
          'face track continues an earlier one',
        ),
      settings: windowSettings,
      evidence,
    });
  const registry: CameraRegistry = new CameraRegistry({ hub, log, createProcessor });
  const { writer, journal, replay } = startWriter(settings, log, () => registry, fence);

  let rows: CameraRow[] = [];
  const loadCameras = async () => {
    rows = await loadCameraRows(settings.CAMERA_URL);
    // A new URL or mode reconnects the camera here, within one refresh (the web app only writes the row);
    // a leased camera that could not run (a pull camera without a URL) starts once it has one.
    for (const c of rows) {
      if (registry.get(c.cameraId)) await registry.update(c);
      else if (leases.holds(c.cameraId) && (c.mode === 'push' || c.streamUrl || c.snapshotUrl)) registry.add(c);
    }
  };
  const leases: LeaseManager = new LeaseManager({
    workerId: settings.WORKER_ID,
    internalUrl: settings.WORKER_INTERNAL_URL,
    capacity: settings.WORKER_CAPACITY,
    ttlMs: settings.LEASE_TTL_SECONDS * 1000,
    store: DB_LEASES,
    log,
    onAcquired: async (ids) => {
      if (ids.some((id) => !rows.some((r) => r.cameraId === id))) await loadCameras();
      for (const id of ids) {
        const row = rows.find((r) => r.cameraId === id);
        if (row) registry.add(row);
      }
      await sessions
        .refresh(registry.places())
        .catch((err: unknown) => log.warn({ err: String(err) }, 'session refresh failed'));
    },
    onStopped: (cameraId) => registry.remove(cameraId),
    beforeRelease: async (cameraId) =>
      void (await writer.drainWhere((item) => item.input.cameraId === cameraId, 3_000)),
    onChange: (change) => cameraLeaseChangesTotal.inc({ change }),
    onCounts: (byWorker) => {
      workerCameras.reset();
      for (const [workerId, n] of byWorker) workerCameras.set({ worker_id: workerId }, n);
    },
  });
  // The legacy CAMERA_URL camera exists before the first round, so it gets a lease like the others.
  await loadCameras();
  await leases.start();
  replay();
  await sessions.refresh(registry.places());
  // Once across all workers: each hour's purge is claimed (and old claims are forgotten with it).
  const purge = startUnknownFacePurge({
    store: unknownStore,
    retentionDays: settings.UNKNOWN_RETENTION_DAYS,
    log,
    claim: (key) => claimEvent(key, settings.WORKER_ID),
    alsoPurge: () => purgeEventClaims(30),
  });
  const refresh = setInterval(
    () =>
      void loadCameras()
        .then(refreshSessions)
        .catch((err: unknown) => log.warn({ err: String(err) }, 'camera/session refresh failed')),
    opts.sessionRefreshMs ?? 15_000,
  );
  refresh.unref();
  const stopAll = () => registry.removeAll();
  signal.addEventListener('abort', () => void stopAll(), { once: true });

  const handleInternal = internalRoutes({
    internalToken: settings.INTERNAL_TOKEN,
    maxPushBytes: settings.PUSH_MAX_BYTES,
    pushTarget: (cameraId) => {
      const entry = registry.get(cameraId);
      return entry?.mode === 'push' ? (frame) => entry.pushTarget.push?.(frame) : undefined;
    },
    lastFrame: (cameraId) => lastFrames.get(cameraId),
    renderLastFrame: (frame) => renderLastFrame(frame, studentNames),
  });

  return {
    stats: () => {
      // Leases first: a deadline that passed (a pause) stops its camera before the cameras are listed.
      const held = leases.snapshot();
      return {
        cameras: registry
          .all()
          .map((e) =>
            cameraStats(
              { cameraId: e.cameraId, name: e.name, mode: e.mode },
              hub.stats(e.cameraId),
              e.processor.stats,
              e.recorded,
            ),
          ),
        writer: writer.stats(),
        sessionsCached: sessions.size,
        leases: held,
      };
    },
    handleInternal,
    heldConnection(cameraId, url) {
      const entry = registry.get(cameraId);
      if (!entry || entry.mode !== 'pull' || url !== (entry.streamUrl ?? entry.snapshotUrl)) return undefined;
      return { latest: () => hub.latestFrame(cameraId), state: () => hub.stats(cameraId) };
    },
    async stop() {
      clearInterval(refresh);
      await stopAll();
      await hub.close();
      // Review entries being saved or withdrawn land first (bounded: a database that is down does not hold the stop).
      await Promise.race([Promise.allSettled([...reviewWork]), new Promise((r) => setTimeout(r, 5_000).unref())]);
      await moodTally.stop();
      await purge.stop();
      // The leases are renewed until the last writes are in, then given up so others take over at once.
      const lost = await writer.close(5_000);
      if (lost.length > 0)
        log.warn(
          { pending: lost.length, journal: journal.file },
          'recognitions not written before shutdown; kept in the journal for the next start',
        );
      await leases.stop();
    },
  };
}
