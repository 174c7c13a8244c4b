/**
 * The recognition worker: wiring only. Stages start in order and stop in reverse on SIGTERM/SIGINT,
 * all sharing one AbortSignal. Add a stage (models, cameras, ...) by appending to `stages()`.
 */
import { getDbClient, closeDb, pingDb, withRetry } from '@/db/client';
import { EnvError, env } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { workerStartupProblem } from '@/lib/startup-check';
import { startBackupSchedule } from '@/lib/backup/backup-schedule';
import { claimEvent } from '@/lib/data/event-claims';
import { checkHealth } from '@/lib/health';
import { createLogger, type Logger } from '@/lib/log';
import { collectProcessMetrics, registry } from '@/lib/metrics';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { LEGACY_TFJS_REMOVAL, tfjsEmbeddersIn } from '@/lib/face/embedder';
import { legacyModelsFor, rebuildTemplates } from '@/lib/enrollment/rebuild-templates';
import { engineIdentity, engineOptionsFromEnv, operatingThreshold } from '@/lib/face/engine-config';
import { registerPipelineMetrics } from '@/lib/recognition/pipeline-stats';
import { getStorage } from '@/lib/storage';
import { channelsFromSettings } from '@/lib/notifications/channels';
import { createMailer } from '@/lib/notifications/mailer';
import { startNotificationWatch } from '@/lib/notifications/notification-watch';
import { Notifier } from '@/lib/notifications/notifier';
import { allowedNotificationHosts } from '@/lib/notifications/target-guard';
import { testFrameHandler } from '@/lib/devices/internal-test-frame';
import { startCameraPipeline, type CameraPipeline } from './camera-pipeline';
import { closeServer, startWorkerHttpServer } from './http-server';
import { startStages, type Stage } from './stages';

function stages(log: Logger): Stage[] {
  const settings = env();
  let pool: FaceEnginePool | undefined;
  let engine = engineOptionsFromEnv(settings);
  let pipeline: CameraPipeline | undefined;
  return [
    {
      name: 'database',
      async start(signal) {
        getDbClient();
        // A database that is still booting (compose, CI) gets ~30 s before we give up.
        await withRetry(() => pingDb(), {
          label: 'worker.connect',
          retries: 8,
          baseDelayMs: 250,
          maxDelayMs: 5_000,
          signal,
        });
        const url = new URL(settings.DATABASE_URL);
        log.info(
          {
            host: url.hostname,
            port: Number(url.port || 3306),
            database: url.pathname.slice(1),
            poolSize: settings.DB_POOL_SIZE,
          },
          'worker connected to database',
        );
        return closeDb;
      },
    },
    {
      name: 'face-engine',
      async start() {
        engine = engineOptionsFromEnv(settings);
        if (engine.matcher === 'embedding') {
          // A model change: students not yet rebuilt keep being matched with their old model's templates.
          const legacy = await legacyModelsFor(engineIdentity(engine));
          engine.legacyEmbedders = legacy.embedders.map((e) => e.name);
          for (const e of legacy.embedders)
            log.info(
              { embedder: e.name, model: e.model, version: e.version, students: e.students },
              'students still have only templates of a previous model; camera faces are embedded with it too until they are rebuilt',
            );
          for (const u of legacy.unavailable)
            log.warn(
              { model: u.model, version: u.version, students: u.students },
              'students have only templates of a model this version cannot run; they are not recognised until the template rebuild gives them new ones',
            );
        }
        const tfjs = tfjsEmbeddersIn(engine);
        if (tfjs.length > 0)
          log.warn(
            { embedders: tfjs, removal: LEGACY_TFJS_REMOVAL },
            'tfjs embedders in use (FACE_EMBEDDER, or legacy ones for students not yet rebuilt) are removed after the date given: use FACE_EMBEDDER=arcface and let the template rebuild finish before then',
          );
        pool = await FaceEnginePool.start({
          size: settings.FACE_ENGINE_THREADS,
          engine,
          onThreadCrash: (err) => log.error({ err: err.message }, 'face engine thread crashed; replacing it'),
        });
        log.info(
          { threads: pool.size, ...engine, identity: engineIdentity(engine), threshold: operatingThreshold(engine) },
          'face engine ready',
        );
        return () => pool?.close();
      },
    },
    {
      // Background: stored photos without a template of the running model (after a model upgrade)
      // are re-embedded one at a time, so the cameras keep most of the threads.
      name: 'template-rebuild',
      async start(signal) {
        const rlog = log.child({ module: 'template-rebuild' });
        void rebuildTemplates({ engine: pool!, identity: engineIdentity(engine), storage: getStorage(), signal })
          .then((r) => {
            for (const f of r.failed)
              rlog.warn(
                { photoId: f.photo_id, studentId: f.student_id, reason: f.reason },
                'template rebuild: photo skipped',
              );
            rlog.info(
              {
                photos: r.photos,
                rebuilt: r.rebuilt,
                failed: r.failed.length,
                studentsUpToDate: r.students_up_to_date,
                students: r.students,
                model: r.model,
                version: r.version,
              },
              'templates up to date',
            );
          })
          .catch((err: Error) =>
            rlog.error({ err: err.message }, 'template rebuild failed; it runs again at the next start'),
          );
      },
    },
    {
      name: 'cameras',
      async start(signal) {
        pipeline = await startCameraPipeline(
          { pool: pool!, settings, legacyEmbedders: engine.legacyEmbedders, log: log.child({ module: 'pipeline' }) },
          signal,
        );
        log.info(
          {
            workerId: settings.WORKER_ID,
            internalUrl: settings.WORKER_INTERNAL_URL,
            leaseTtlSeconds: settings.LEASE_TTL_SECONDS,
            capacity: settings.WORKER_CAPACITY,
            cameras: pipeline.stats().leases.cameras.length,
          },
          'camera leases taken',
        );
        registerPipelineMetrics(registry, () => pipeline!.stats());
        return () => pipeline?.stop();
      },
    },
    {
      // After the cameras: a slow backup upload must never delay recognition starting.
      name: 'backups',
      async start(signal) {
        if (settings.BACKUP_INTERVAL_HOURS <= 0) return;
        // Every worker keeps the schedule; each due backup is claimed, so one of them makes it.
        const schedule = startBackupSchedule({
          storage: getStorage(),
          intervalHours: settings.BACKUP_INTERVAL_HOURS,
          keep: settings.BACKUP_KEEP,
          log: log.child({ module: 'backup' }),
          signal,
          claim: (key) => claimEvent(key, settings.WORKER_ID),
        });
        return () => schedule.stop();
      },
    },
    {
      name: 'notifications',
      async start() {
        // The deployer's own NOTIFY_* receivers may be on the LAN; other internal addresses are refused.
        const allowedHosts = allowedNotificationHosts(settings.NOTIFY_ALLOWED_HOSTS, [
          settings.NOTIFY_WEBHOOK_URL,
          settings.NOTIFY_SLACK_WEBHOOK_URL,
          settings.TELEGRAM_API_BASE,
        ]);
        const notifier = new Notifier(channelsFromSettings(settings), {
          log: log.child({ module: 'notify' }),
          allowedHosts,
          mailer: createMailer(settings),
        });
        // Always watched: per-course routes can be added from the dashboard at any time; a pass with
        // neither global channels nor routes is one cheap query.
        // Every worker watches; each event is claimed in the database first, so it is sent once.
        const watch = startNotificationWatch({
          notifier,
          offlineMinutes: settings.CAMERA_OFFLINE_MINUTES,
          arrivals: settings.NOTIFY_ARRIVALS,
          telegramApiBase: settings.TELEGRAM_API_BASE,
          log: log.child({ module: 'notify' }),
          intervalMs: settings.NOTIFY_CHECK_SECONDS * 1000,
          claim: (key) => claimEvent(key, settings.WORKER_ID),
          timeZone: settings.CAMPUS_TIMEZONE,
        });
        log.info(
          {
            channels: notifier.channels.map((c) => c.name),
            arrivals: settings.NOTIFY_ARRIVALS,
            email: Boolean(settings.SMTP_HOST),
          },
          'notifications watched (global channels + per-course routes)',
        );
        return () => watch.stop();
      },
    },
    {
      name: 'http',
      async start() {
        collectProcessMetrics();
        // "Test connection" on the cameras page: one frame from a URL, faces found as the pipeline would.
        const testFrames = testFrameHandler({
          internalToken: settings.INTERNAL_TOKEN,
          // A camera this worker reads is tested on its own connection (one-viewer cameras refuse a second).
          held: (cameraId, url) => pipeline?.heldConnection(cameraId, url),
          findFaces: async (jpeg) => {
            const a = await pool!.analyzeFrame(jpeg, { minFaceSize: settings.CAMERA_MIN_FACE_SIZE });
            return { width: a.width, height: a.height, boxes: a.faces.map((f) => f.face.box) };
          },
          onError: (err) => log.error({ err }, 'camera test frame failed; answered 500'),
        });
        const server = await startWorkerHttpServer({
          port: settings.WORKER_PORT,
          host: settings.WORKER_HOST,
          onError: (err, req) =>
            log.error({ err, method: req.method, url: req.url }, 'worker HTTP handler failed; answered 500'),
          registry,
          internalToken: settings.INTERNAL_TOKEN,
          metricsToken: settings.METRICS_TOKEN,
          health: async () => ({ ...(await checkHealth()), pipeline: pipeline?.stats() }),
          handle: (req, res) => testFrames(req, res) || (pipeline?.handleInternal(req, res) ?? false),
        });
        log.info(
          { host: settings.WORKER_HOST, port: settings.WORKER_PORT },
          'worker listening (GET /healthz, GET /metrics, POST /internal/frames/:cameraId, POST /internal/cameras/:cameraId/test-frame)',
        );
        return () => closeServer(server);
      },
    },
  ];
}

async function main(): Promise<void> {
  loadEnvFiles();
  try {
    env();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const problem = workerStartupProblem(process.env);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  const log = createLogger('worker');
  const controller = new AbortController();
  let running: Awaited<ReturnType<typeof startStages>> | undefined;

  const shutdown = async (reason: string) => {
    if (controller.signal.aborted) return;
    log.info({ reason }, 'worker stopping');
    controller.abort(new Error(reason));
    await running?.stop();
    log.info('worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // A bug that escapes every handler still stops the stages in order (the attendance writer flushes
  // what it can) and exits non-zero so the supervisor restarts the worker; a stray rejection is logged.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  process.once('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception; stopping the worker');
    void running?.stop().finally(() => process.exit(1));
    setTimeout(() => process.exit(1), 10_000).unref();
  });

  log.info({ nodeEnv: env().NODE_ENV }, 'worker starting');
  try {
    running = await startStages(stages(log), controller.signal, log);
    log.info('worker ready');
  } catch (err) {
    if (controller.signal.aborted) return;
    log.fatal({ err }, 'worker failed to start');
    process.exit(1);
  }
}

void main();
