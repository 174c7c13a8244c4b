/**
 * The camera stage of the worker, wiring only: it builds the parts and connects them, in the order
 * a frame meets them (README "Follow a frame"): the camera registry and CameraHub deliver frames,
 * each camera's FramePipeline (lib/recognition/frame-pipeline.ts) analyses, tracks and decides, and
 * its decisions end in the AttendanceSink (attendance rows) or the ReviewQueue (unknown faces).
 * Which cameras run here is decided by the camera leases (lease-manager): a camera starts when its
 * lease is taken and stops the moment it is lost; every write for it carries the lease.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EvidenceOptions } from '@/lib/attendance/track-evidence';
import { CameraHub } from '@/lib/camera/camera-hub';
import { isPermanentWriteError, recordAttendance } from '@/lib/data/attendances';
import { markCameraSeen } from '@/lib/data/cameras';
import { isStudentEnrolled } from '@/lib/data/courses';
import { claimEvent, purgeEventClaims } from '@/lib/data/event-claims';
import { listTemplatesForCourse } from '@/lib/data/face-templates';
import { galleryStamps, studentNames } from '@/lib/data/recognition-lookups';
import { addSessionMood } from '@/lib/data/session-mood';
import type { HeldConnection } from '@/lib/devices/internal-test-frame';
import { throttledSeen } from '@/lib/devices/ingest-frame';
import type { Env } from '@/lib/env';
import { LIVENESS_THRESHOLD } from '@/lib/face/config';
import type { FaceEnginePool } from '@/lib/face/engine-pool';
import { embedderIdentity, type EmbedderName } from '@/lib/face/engine-identity';
import type { Logger } from '@/lib/log';
import { cameraLeaseChangesTotal, workerCameras } from '@/lib/metrics';
import { AttendanceJournal } from '@/lib/recognition/attendance-journal';
import { AttendanceSink, fenceOrThrow } from '@/lib/recognition/attendance-sink';
import type { AttendanceWriterStats } from '@/lib/recognition/attendance-writer';
import { CameraRegistry, loadCameraRows } from '@/lib/recognition/camera-registry';
import { CourseGalleries } from '@/lib/recognition/course-gallery';
import { logDecision, logLink } from '@/lib/recognition/decision-log';
import { FramePipeline } from '@/lib/recognition/frame-pipeline';
import { GalleryWatch } from '@/lib/recognition/gallery-watch';
import { LastFrames } from '@/lib/recognition/last-frames';
import { DB_LEASE_STORE, LeaseManager } from '@/lib/recognition/lease-manager';
import { Limiter } from '@/lib/recognition/limiter';
import { matcherFactory } from '@/lib/recognition/matcher-factory';
import { MoodTally } from '@/lib/recognition/mood-tally';
import { cameraLoadSample, cameraStats, type CameraStats } from '@/lib/recognition/pipeline-stats';
import { renderLastFrame } from '@/lib/recognition/render-last-frame';
import { ReviewQueue } from '@/lib/recognition/review-queue';
import type { CameraLoadSample } from '@/lib/recognition/worker-load';
import { SessionCache } from '@/lib/recognition/session-cache';
import { SessionOpener } from '@/lib/recognition/session-opener';
import { startUnknownFacePurge } from '@/lib/recognition/unknown-face-purge';
import { databaseUnknownFaceStore } from '@/lib/recognition/unknown-face-store';
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
    writer: AttendanceWriterStats;
    sessionsCached: number;
    leases: ReturnType<LeaseManager['snapshot']>;
  };
  /** Handles POST /internal/frames/:cameraId and GET /internal/cameras/:cameraId/last-frame; false for any other request. */
  handleInternal(req: IncomingMessage, res: ServerResponse): boolean;
  /** The connection this worker holds to a pull camera reading `url` ("Test connection" uses it); else undefined. */
  heldConnection(cameraId: string, url: string): HeldConnection | undefined;
  stop(): Promise<void>;
}

export async function startCameraPipeline(opts: CameraPipelineOptions, signal: AbortSignal): Promise<CameraPipeline> {
  const { pool, settings, log } = opts;
  const windowSettings = {
    earlyMinutes: settings.ATTENDANCE_EARLY_MINUTES,
    lateMinutes: settings.ATTENDANCE_LATE_MINUTES,
  };
  const leases = new LeaseManager({
    workerId: settings.WORKER_ID,
    internalUrl: settings.WORKER_INTERNAL_URL,
    capacity: settings.WORKER_CAPACITY,
    // Below WORKER_CAPACITY, the cameras' measured load decides how many this worker takes (worker-load.ts).
    load: (): CameraLoadSample[] =>
      registry.all().map((e) => cameraLoadSample(e.cameraId, hub.stats(e.cameraId), e.pipeline.stats)),
    ttlMs: settings.LEASE_TTL_SECONDS * 1000,
    store: DB_LEASE_STORE,
    log,
    onChange: (change) => cameraLeaseChangesTotal.inc({ change }),
    onCounts: (byWorker) => {
      workerCameras.reset();
      for (const [workerId, n] of byWorker) workerCameras.set({ worker_id: workerId }, n);
    },
  });

  // Where a camera's decisions end: attendance rows, unknown faces for review, class mood counts (PRIVACY.md).
  const sink = new AttendanceSink({
    record: recordAttendance,
    isEnrolled: isStudentEnrolled,
    isPermanent: isPermanentWriteError,
    leases,
    // Recognitions waiting for the database survive a crash: replayed (by this worker only) once the leases are known.
    journal: new AttendanceJournal(settings.DATA_DIR, settings.WORKER_ID),
    log,
  });
  const matchers = matcherFactory(settings);
  const evidence = matchers.evidenceOptions(opts.evidence);
  const unknownFaces = databaseUnknownFaceStore({
    fence: (cameraId) => fenceOrThrow(leases.fence(cameraId), cameraId),
    joinAbove: settings.MATCHER === 'embedding' ? evidence.threshold : undefined,
  });
  const reviews = new ReviewQueue({ store: unknownFaces, holds: (cameraId) => leases.holds(cameraId), log });
  const moodTally = new MoodTally({ add: addSessionMood, log });
  moodTally.start();

  // What a frame is matched against: its camera's session and the gallery of that session's course.
  const sessions = new SessionCache(windowSettings);
  const sessionOpener = new SessionOpener(log);
  const galleries = new CourseGalleries({
    listTemplates: listTemplatesForCourse,
    createMatcher: matchers.createMatcher,
    legacy: (opts.legacyEmbedders ?? []).map(embedderIdentity),
  });
  // New enrolments and photos reach the galleries at the next session refresh, not after the gallery's own 60 s.
  const galleryWatch = new GalleryWatch({ stamps: galleryStamps, invalidate: (id) => galleries.invalidate(id), log });

  // The cameras: each one's frames, through its own FramePipeline.
  const lastFrames = new LastFrames();
  const limiter = new Limiter(pool.size * 2);
  const markSeen = throttledSeen((cameraId) => markCameraSeen(cameraId, 'online'), CAMERA_SEEN_INTERVAL_MS);
  const hub = new CameraHub({
    defaultQueueCapacity: 4,
    logger: log,
    onStateChange: (cameraId, state) => log.info({ cameraId, state }, 'camera state'),
  });
  const registry = new CameraRegistry({
    hub,
    log,
    load: () => loadCameraRows(settings.CAMERA_URL),
    onPullFrame: (cameraId) => {
      if (leases.holds(cameraId)) markSeen(cameraId);
    },
    createPipeline: (camera, queue, livenessMode) =>
      new FramePipeline({
        cameraId: camera.cameraId,
        queue,
        engine: pool,
        minFaceSize: opts.minFaceSize ?? settings.CAMERA_MIN_FACE_SIZE,
        limiter,
        sessionAt: (cameraId, at) => sessions.activeAt(cameraId, at),
        gallery: (courseId, model, version) => galleries.get(courseId, model, version),
        wantsLegacy: (courseId) => galleries.wantsLegacy(courseId),
        livenessMode,
        livenessThreshold: LIVENESS_THRESHOLD,
        settings: windowSettings,
        evidence,
        sink: sink.forCamera(camera),
        onUnknown: (track) => reviews.add(track),
        onUnknownRecognised: (refs, studentId) => reviews.withdraw(camera, refs, studentId),
        onMood: (sessionId, samples) => moodTally.record(sessionId, samples),
        moodIntervalMs: opts.moodIntervalMs,
        onDecision: (d) => logDecision(log, camera.name, d),
        onLinked: (link) => logLink(log, camera.name, link),
        onFrame: (frame) => lastFrames.set(camera.cameraId, frame),
      }),
  });

  const leased = (cameraId: string) => leases.holds(cameraId);
  // Reads the running cameras' sessions, then opens the ones they are in and closes the ended ones.
  const refreshSessions = async () => {
    const places = registry.places();
    await sessions.refresh(places);
    await sessionOpener.run(
      sessions,
      places.map((p) => p.cameraId),
    );
  };

  // The legacy CAMERA_URL camera exists before the first round, so it gets a lease like the others.
  await registry.reload(leased);
  await leases.start({
    onAcquired: async (ids) => {
      await registry.addLeased(ids, leased);
      await refreshSessions().catch((err: unknown) => log.warn({ err: String(err) }, 'session refresh failed'));
    },
    onStopped: (cameraId) => registry.remove(cameraId),
    beforeRelease: (cameraId) => sink.drainCamera(cameraId, 3_000),
  });
  sink.replay();
  await refreshSessions();
  // Once across all workers: each hour's purge is claimed (and old claims are forgotten with it).
  const purge = startUnknownFacePurge({
    store: unknownFaces,
    retentionDays: settings.UNKNOWN_RETENTION_DAYS,
    log,
    claim: (key) => claimEvent(key, settings.WORKER_ID),
    alsoPurge: () => purgeEventClaims(30),
  });
  const refresh = setInterval(
    () =>
      void registry
        .reload(leased)
        .then(refreshSessions)
        .then(() => galleryWatch.check(sessions.courseIds))
        .catch((err: unknown) => log.warn({ err: String(err) }, 'camera/session refresh failed')),
    opts.sessionRefreshMs ?? 15_000,
  );
  refresh.unref();
  signal.addEventListener('abort', () => void registry.removeAll(), { once: true });

  return {
    stats: () => {
      // Leases first: a deadline that passed (a pause) stops its camera before the cameras are listed.
      const held = leases.snapshot();
      const cameras = registry
        .all()
        .map((e) =>
          cameraStats(
            { cameraId: e.cameraId, name: e.name, mode: e.mode },
            hub.stats(e.cameraId),
            e.pipeline.stats,
            sink.recordedBy(e.cameraId),
          ),
        );
      return { cameras, writer: sink.stats(), sessionsCached: sessions.size, leases: held };
    },
    handleInternal: internalRoutes({
      internalToken: settings.INTERNAL_TOKEN,
      maxPushBytes: settings.PUSH_MAX_BYTES,
      pushSource: (cameraId) => registry.get(cameraId)?.push,
      lastFrame: (cameraId) => lastFrames.get(cameraId),
      renderLastFrame: (frame) => renderLastFrame(frame, studentNames),
    }),
    heldConnection(cameraId, url) {
      const entry = registry.get(cameraId);
      if (!entry || entry.mode !== 'pull' || url !== (entry.streamUrl ?? entry.snapshotUrl)) return undefined;
      return { latest: () => hub.latestFrame(cameraId), state: () => hub.stats(cameraId) };
    },
    async stop() {
      clearInterval(refresh);
      await registry.removeAll();
      await hub.close();
      // Review entries being saved or withdrawn land first (bounded: a database that is down does not hold the stop).
      await reviews.settle(5_000);
      await moodTally.stop();
      await purge.stop();
      // The leases are renewed until the last writes are in, then given up so others take over at once.
      await sink.close(5_000);
      await leases.stop();
    },
  };
}
