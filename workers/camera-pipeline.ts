/**
 * The camera stage of the worker: cameras from the `cameras` table (plus legacy CAMERA_URL) → one
 * CameraHub → a CameraProcessor per camera → AttendanceWriter / UnknownFaceStore. Also answers the
 * web app's hand-off of pushed frames (POST /internal/frames/:cameraId) and its request for a
 * camera's last frame with face boxes drawn (GET /internal/cameras/:cameraId/last-frame).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { activeSessionAt } from '@/lib/attendance/session-window';
import { DEFAULT_VOTE_OPTIONS, type VoteOptions } from '@/lib/attendance/track-vote';
import { CameraHub } from '@/lib/camera/camera-hub';
import { mjpegSource } from '@/lib/camera/mjpeg-reader';
import { snapshotSource } from '@/lib/camera/snapshot-poller';
import type { Frame, FrameSource } from '@/lib/camera/types';
import { recordAttendance } from '@/lib/data/attendances';
import { ensureCameraByName, listCameras } from '@/lib/data/cameras';
import { listTemplatesForCourse } from '@/lib/data/face-templates';
import { closeEndedSessions, countStaleTemplatesForCourse, isStudentEnrolled, listSessionsForCameras, markSessionOpen, studentNames } from '@/lib/data/recognition-lookups';
import { insertUnknownFace, purgeUnknownFacesBefore } from '@/lib/data/unknown-faces';
import type { LivenessMode } from '@/lib/attendance/track-liveness';
import { LIVENESS_THRESHOLD } from '@/lib/face/config';
import { cameraIdFromInternalPath, INTERNAL_TOKEN_HEADER, isValidInternalToken } from '@/lib/devices/internal-frames';
import { cameraIdFromLastFramePath } from '@/lib/devices/internal-last-frame';
import type { Env } from '@/lib/env';
import { engineOptionsFromEnv, operatingThreshold, voteMargin } from '@/lib/face/engine-config';
import type { FaceEnginePool } from '@/lib/face/engine-pool';
import { embedderIdentity, embedderNamed, type EmbedderName } from '@/lib/face/engine-identity';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import { KeypointMatcher } from '@/lib/face/keypoints/keypoint-matcher';
import type { FaceMatcher } from '@/lib/face/types';
import type { Logger } from '@/lib/log';
import { getStorage } from '@/lib/storage';
import { AttendanceWriter } from '@/lib/recognition/attendance-writer';
import { CameraProcessor, Limiter, type ActiveSession } from '@/lib/recognition/camera-processor';
import { attendanceWritesDroppedTotal, trackDecisionsTotal } from '@/lib/metrics';
import { AttendanceJournal } from '@/lib/recognition/attendance-journal';
import { CourseGalleries } from '@/lib/recognition/course-gallery';
import { renderLastFrame } from '@/lib/recognition/render-last-frame';
import { LastFrames } from '@/lib/recognition/last-frames';
import { cameraStats, pipelineEvents, type CameraStats } from '@/lib/recognition/pipeline-stats';
import { UnknownFaceStore } from '@/lib/recognition/unknown-face-store';
import { MoodTally } from '@/lib/recognition/mood-tally';
import { addSessionMood } from '@/lib/data/session-mood';

export interface CameraPipelineOptions {
  pool: FaceEnginePool;
  settings: Env;
  log: Logger;
  /** Smallest face (px) the detector's tiled scan looks for; 0 = whole frame only (fastest). */
  minFaceSize?: number;
  /** The pool's legacy embedders (EngineOptions.legacyEmbedders): galleries keep their students. */
  legacyEmbedders?: EmbedderName[];
  sessionRefreshMs?: number;
  /** Overrides of the per-track voting rules (benchmarks; the defaults are the product's). */
  vote?: Partial<Omit<VoteOptions, 'threshold'>>;
  /** Time between class-mood frames per camera (default MOOD_INTERVAL_MS, 10 s). */
  moodIntervalMs?: number;
}

interface CameraEntry {
  cameraId: string;
  name: string;
  mode: 'pull' | 'push';
  processor: CameraProcessor;
  recorded: number;
  /** Push cameras: where `handleInternal` hands frames (set while the hub's connection runs). */
  pushTarget: { push?: (frame: Frame) => void };
  done: Promise<void>;
}

export interface CameraPipeline {
  stats(): { cameras: CameraStats[]; writer: ReturnType<AttendanceWriter['stats']>; sessionsCached: number };
  /** Handles POST /internal/frames/:cameraId and GET /internal/cameras/:cameraId/last-frame; false for any other request. */
  handleInternal(req: IncomingMessage, res: ServerResponse): boolean;
  stop(): Promise<void>;
}

/** A source for a push camera: frames arrive through `handleInternal`, the run ends only on abort. */
function pushSource(entry: { push?: (frame: Frame) => void }): FrameSource {
  return ({ signal, onFrame }) =>
    new Promise((resolve) => {
      let frames = 0;
      entry.push = (frame) => {
        frames += 1;
        onFrame(frame);
      };
      signal.addEventListener('abort', () => resolve({ status: 'aborted', frames }), { once: true });
    });
}

export async function startCameraPipeline(opts: CameraPipelineOptions, signal: AbortSignal): Promise<CameraPipeline> {
  const { pool, settings, log } = opts;
  const windowSettings = { earlyMinutes: settings.ATTENDANCE_EARLY_MINUTES, lateMinutes: settings.ATTENDANCE_LATE_MINUTES };
  // The vote compares against the matcher's own threshold and margin, in the matcher's units.
  const engineOpts = engineOptionsFromEnv(settings);
  const threshold = operatingThreshold(engineOpts);
  // A legacy model's gallery uses that model's own shipped threshold.
  const thresholdOf = (model: string, version: string) => {
    const name = embedderNamed({ model, version });
    return name && name !== engineOpts.embedder ? operatingThreshold({ matcher: 'embedding', embedder: name }) : threshold;
  };
  const createMatcher = async (model: string, version: string): Promise<FaceMatcher> =>
    settings.MATCHER === 'embedding' ? new EmbeddingMatcher({ model, version, threshold: thresholdOf(model, version) }) : KeypointMatcher.create({ minMatchCount: settings.MIN_MATCH_COUNT });
  const legacy = (opts.legacyEmbedders ?? []).map(embedderIdentity);
  const galleries = new CourseGalleries({ listTemplates: listTemplatesForCourse, countStale: countStaleTemplatesForCourse, createMatcher, legacy });
  const entries = new Map<string, CameraEntry>();
  const lastFrames = new LastFrames();

  // Recognitions waiting for the database survive a crash: journaled under DATA_DIR, replayed below.
  const journal = new AttendanceJournal(settings.DATA_DIR);
  const writer = new AttendanceWriter({
    record: recordAttendance,
    isEnrolled: isStudentEnrolled,
    journal,
    onDropped: (item) => {
      attendanceWritesDroppedTotal.inc();
      log.error({ studentId: item.input.studentId, sessionId: item.input.sessionId, seenAt: item.input.seenAt }, 'attendance write buffer full; oldest recognition dropped');
    },
    onWritten: ({ result, input, frameArrivedAt, votes }) => {
      const entry = input.cameraId ? entries.get(input.cameraId) : undefined;
      if (entry && result.created) entry.recorded += 1;
      const a = result.attendance;
      log.info(
        { studentId: a.studentId, sessionId: a.sessionId, camera: entry?.name ?? input.cameraId, score: input.confidence, votes, status: a.status, created: result.created, liveness: input.livenessScore ?? null, livenessDoubtful: input.livenessDoubtful ?? false },
        result.created ? 'attendance recorded' : 'attendance already recorded for this session',
      );
      pipelineEvents.emit('attendance', { sessionId: a.sessionId, studentId: a.studentId, cameraId: a.cameraId, status: a.status, confidence: a.confidence, created: result.created, at: a.timestamp.toISOString(), latencyMs: frameArrivedAt ? Date.now() - frameArrivedAt : null });
    },
    onRejected: (item, reason) => log.warn({ studentId: item.input.studentId, sessionId: item.input.sessionId, reason }, 'attendance not recorded'),
    onError: (err, buffered) => log.warn({ err: err instanceof Error ? err.message : String(err), buffered }, 'database unavailable; recognitions buffered'),
  });
  const replayed = journal.pending();
  if (replayed.length > 0) {
    log.info({ recognitions: replayed.length, journal: journal.file }, 'replaying recognitions not written before the last stop');
    writer.restore(replayed);
  }
  // Class mood: counts per session only (PRIVACY.md), for courses that turned it on.
  const moodTally = new MoodTally({ add: addSessionMood, log });
  moodTally.start();
  const unknownStore = new UnknownFaceStore({ storage: getStorage, insert: insertUnknownFace, purgeBefore: purgeUnknownFacesBefore });

  // Sessions are cached and refreshed, so a database outage never stalls recognition.
  let sessions: ActiveSession[] = [];
  const refreshSessions = async () => {
    const now = new Date();
    const horizon = (settings.ATTENDANCE_EARLY_MINUTES + 10) * 60_000;
    sessions = await listSessionsForCameras([...entries.keys()], new Date(now.getTime() - 10 * 60_000), new Date(now.getTime() + horizon));
    for (const cameraId of entries.keys()) {
      const active = activeSessionAt(sessions, cameraId, now, windowSettings);
      if (active?.status === 'scheduled') await markSessionOpen(active.sessionId);
    }
    const closed = await closeEndedSessions(now);
    if (closed > 0) log.info({ closed }, 'closed ended sessions');
  };

  const hub = new CameraHub({ defaultQueueCapacity: 4, logger: log, onStateChange: (cameraId, state) => log.info({ cameraId, state }, 'camera state') });
  const limiter = new Limiter(pool.size * 2);
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort(), { once: true });

  // Re-read with the cameras every refresh: an admin's change of a camera's liveness mode applies within one refresh.
  const livenessModes = new Map<string, LivenessMode>();
  const addCamera = (camera: { cameraId: string; name: string; mode: 'pull' | 'push'; streamUrl: string | null; snapshotUrl: string | null; liveness: LivenessMode }) => {
    const before = livenessModes.get(camera.cameraId);
    if (before !== undefined && before !== camera.liveness) log.info({ camera: camera.name, from: before, to: camera.liveness }, 'camera liveness mode changed');
    livenessModes.set(camera.cameraId, camera.liveness);
    if (entries.has(camera.cameraId)) return;
    const partial: { push?: (frame: Frame) => void } = {};
    let source: FrameSource;
    if (camera.mode === 'push') source = pushSource(partial);
    else if (camera.streamUrl) source = mjpegSource(camera.streamUrl, { cameraId: camera.cameraId, logger: log });
    else if (camera.snapshotUrl) source = snapshotSource(camera.snapshotUrl, { cameraId: camera.cameraId, intervalMs: 200, logger: log });
    else return log.warn({ camera: camera.name }, 'pull camera without stream_url or snapshot_url; skipped');
    hub.addCamera(camera.cameraId, source);
    const queue = hub.subscribe(camera.cameraId).queue;
    const processor = new CameraProcessor({
      cameraId: camera.cameraId,
      queue,
      analyze: (jpeg, skipBoxes, legacy, liveness, mood) => pool.analyzeFrame(jpeg, { minFaceSize: opts.minFaceSize ?? settings.CAMERA_MIN_FACE_SIZE, skipBoxes, legacy, liveness, mood }),
      onMood: (sessionId, samples) => moodTally.record(sessionId, samples),
      moodIntervalMs: opts.moodIntervalMs,
      livenessMode: () => livenessModes.get(camera.cameraId) ?? 'flag',
      livenessThreshold: LIVENESS_THRESHOLD,
      limiter,
      sessionAt: (cameraId, at) => activeSessionAt(sessions, cameraId, at, windowSettings),
      gallery: (courseId, model, version) => galleries.get(courseId, model, version),
      onRecognition: (item) => writer.submit(item),
      onUnknown: (track) => {
        unknownStore.save(track).then(
          (unknownId) => pipelineEvents.emit('unknown', { cameraId: track.cameraId, sessionId: track.sessionId, unknownId, kind: track.kind ?? 'unknown', at: track.seenAt.toISOString() }),
          (err: unknown) => log.warn({ err, cameraId: track.cameraId }, 'unknown face not saved'),
        );
      },
      onDecision: (d) => {
        trackDecisionsTotal.inc({ camera: camera.name, outcome: d.outcome });
        if (d.outcome === 'recognized') return; // logged once the row is written ('attendance recorded')
        const where = { camera: camera.name, sessionId: d.sessionId, track: d.trackId, votes: d.votes, faceWidth: d.faceWidth };
        if (d.outcome === 'unknown') log.info({ ...where, bestScore: d.score, closestStudentId: d.studentId, reason: d.reason }, 'unknown face track');
        else if (d.outcome === 'suspected-spoof') log.warn({ ...where, studentId: d.studentId, score: d.score, liveness: d.liveness }, 'suspected spoof: recognised face looked like a photo or a screen; not recorded, queued for review');
        else log.info({ ...where, studentId: d.studentId, score: d.score, reason: d.outcome }, 'recognised face not recorded');
      },
      onFrame: (frame) => lastFrames.set(camera.cameraId, frame),
      settings: windowSettings,
      vote: { ...DEFAULT_VOTE_OPTIONS, minMargin: voteMargin(engineOpts), ...opts.vote, threshold },
    });
    const entry: CameraEntry = { cameraId: camera.cameraId, name: camera.name, mode: camera.mode, processor, recorded: 0, pushTarget: partial, done: processor.run(controller.signal) };
    entries.set(camera.cameraId, entry);
    log.info({ camera: camera.name, mode: camera.mode, liveness: camera.liveness }, 'camera added');
  };

  const loadCameras = async () => {
    const rows = await listCameras();
    if (settings.CAMERA_URL && !rows.some((c) => c.streamUrl === settings.CAMERA_URL)) {
      rows.push((await ensureCameraByName({ name: 'default', room: null, mode: 'pull', streamUrl: settings.CAMERA_URL, snapshotUrl: null })).camera);
    }
    for (const c of rows) addCamera(c);
  };

  await closeEndedSessions();
  await loadCameras();
  await refreshSessions();
  const retentionDays = settings.UNKNOWN_RETENTION_DAYS;
  const purge = () => unknownStore.purge(retentionDays).then((n) => n > 0 && log.info({ purged: n }, 'unknown faces purged'), (err: unknown) => log.warn({ err }, 'unknown-face purge failed'));
  void purge();
  const timers = [
    setInterval(() => void loadCameras().then(refreshSessions).catch((err: unknown) => log.warn({ err: String(err) }, 'camera/session refresh failed')), opts.sessionRefreshMs ?? 15_000),
    setInterval(() => void purge(), 3_600_000),
  ];
  for (const t of timers) t.unref();

  const send = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  return {
    stats: () => ({
      cameras: [...entries.values()].map((e) => cameraStats({ cameraId: e.cameraId, name: e.name, mode: e.mode }, hub.stats(e.cameraId), e.processor.stats, e.recorded)),
      writer: writer.stats(),
      sessionsCached: sessions.length,
    }),
    handleInternal(req, res) {
      const pathname = (req.url ?? '/').split('?')[0] ?? '/';
      const lastFrameCamera = cameraIdFromLastFramePath(pathname);
      if (lastFrameCamera !== null) {
        // The token first: nothing about the request is looked at for a caller without it.
        if (!isValidInternalToken(req.headers[INTERNAL_TOKEN_HEADER], settings.INTERNAL_TOKEN)) return send(res, 401, { error: 'bad internal token' }), true;
        if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' }), true;
        if ('malformed' in lastFrameCamera) return send(res, 400, { error: 'the camera id in the path is not valid URL encoding' }), true;
        const frame = lastFrames.get(lastFrameCamera.cameraId);
        if (!frame) return send(res, 404, { error: 'no frame yet' }), true;
        renderLastFrame(frame, studentNames).then(
          (jpeg) => {
            res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store', 'x-frame-at': new Date(frame.at).toISOString() });
            res.end(jpeg);
          },
          (err: unknown) => send(res, 500, { error: String(err) }),
        );
        return true;
      }
      const pushed = cameraIdFromInternalPath(pathname);
      if (pushed === null) return false;
      if (!isValidInternalToken(req.headers[INTERNAL_TOKEN_HEADER], settings.INTERNAL_TOKEN)) return send(res, 401, { error: 'bad internal token' }), true;
      if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' }), true;
      if ('malformed' in pushed) return send(res, 400, { error: 'the camera id in the path is not valid URL encoding' }), true;
      const { cameraId } = pushed;
      if (!(req.headers['content-type'] ?? '').startsWith('image/jpeg')) return send(res, 415, { error: 'image/jpeg only' }), true;
      const entry = entries.get(cameraId);
      if (!entry || entry.mode !== 'push') return send(res, 404, { error: 'no such push camera' }), true;
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > settings.PUSH_MAX_BYTES) {
          send(res, 413, { error: 'frame too large' });
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        entry.pushTarget.push?.({ cameraId, jpeg: Buffer.concat(chunks), receivedAt: Date.now() });
        send(res, 202, { queued: true });
      });
      return true;
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      controller.abort();
      await hub.close();
      await Promise.all([...entries.values()].map((e) => e.done));
      await moodTally.stop();
      const lost = await writer.close(5_000);
      if (lost.length > 0) log.warn({ pending: lost.length, journal: journal.file }, 'recognitions not written before shutdown; kept in the journal for the next start');
    },
  };
}
