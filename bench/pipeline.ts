/**
 * `npm run bench:pipeline [-- --minutes 2 --cameras 4 --fps 10]`: N cameras (in-process ESP32-style
 * MJPEG servers looping classroom frames) → the worker's camera stage with the real engine pool →
 * a throwaway MariaDB database. Sessions rotate every 15 s so tracks are decided again and again.
 * Reports processed frames/s, drops, frame-arrival → attendance-row latency p50/p95 and RSS over time.
 * `--lecture vga|uxga` runs the lecture-hall mode instead (bench/lecture/cli.ts, its own options).
 */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { classSessions } from '@/db/schema';
import { createSession } from '@/lib/data/sessions';
import { env } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { pipelineEvents } from '@/lib/recognition/pipeline-stats';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { startEsp32StreamServer } from '@/test/fixtures/camera/esp32-stream-server';
import { composeClassroomFrames, lfwDevDir, pickPeople } from '@/test/fixtures/classroom-frames';
import { photoSizesForFaceWidths, setUpClassroom, type Classroom } from '@/test/helpers/pipeline-setup';
import { startBenchEnvironment } from './bench-env';

const FACE_WIDTHS = [30, 45, 60, 80, 38, 52, 70, 34];
const LECTURE = process.argv.slice(2).some((a) => a === '--lecture' || a.startsWith('--lecture='));

const { values } = parseArgs({
  strict: !LECTURE,
  options: {
    minutes: { type: 'string', default: '2' },
    cameras: { type: 'string', default: '4' },
    fps: { type: 'string', default: '10' },
    'min-face-size': { type: 'string' },
    'min-votes': { type: 'string' },
    'embed-first': { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const cameraCount = Number(values.cameras);
const fps = Number(values.fps);

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;

/** `--min-votes N --embed-first N`: try other decision rules than the product's defaults. */
function voteOverrides(): { minSightings?: number; embedFirst?: number } {
  const out: { minSightings?: number; embedFirst?: number } = {};
  if (values['min-votes']) out.minSightings = Number(values['min-votes']);
  if (values['embed-first']) out.embedFirst = Number(values['embed-first']);
  return out;
}

async function main(): Promise<void> {
  const lfw = lfwDevDir();
  if (!lfw) throw new Error('bench:pipeline needs ../shared/faces/lfw-dev');
  const bench = await startBenchEnvironment('pipeline');
  // 6 enrolled students (each seen in 2 poses) and 2 strangers; camera i shows 5 + i % 4 of them.
  const people = pickPeople(lfw, { enrolled: 6, strangers: 2 });
  const seats = [...people.enrolled.map((p) => p.laterPhotos.slice(0, 2)), ...people.strangers.map((s) => [s.photo])];
  const pool = await FaceEnginePool.start();
  const servers = [];
  const rooms: Classroom[] = [];
  let facesOffered = 0;
  for (let i = 0; i < cameraCount; i++) {
    const shown = seats.filter((_, k) => k < 5 + (i % 4) - 2 || k >= seats.length - 2);
    facesOffered += shown.length;
    // Face widths 30–80 px, in a different order per camera.
    const widths = FACE_WIDTHS.map((_, k, a) => a[(k + i) % a.length] as number);
    const jpegs = await composeClassroomFrames({
      photos: shown,
      frames: 30,
      width: 640,
      height: 480,
      photoSizes: await photoSizesForFaceWidths(pool, shown, widths),
    });
    const server = await startEsp32StreamServer({ jpegs, fps });
    servers.push(server);
    rooms.push(await setUpClassroom(pool, people, { streamUrl: server.streamUrl }));
  }
  const latencies: number[] = [];
  let rows = 0;
  pipelineEvents.on('attendance', (e) => {
    if (!e.created) return;
    rows += 1;
    if (e.latencyMs !== null) latencies.push(e.latencyMs);
  });
  const controller = new AbortController();
  const pipeline = await startCameraPipeline(
    {
      pool,
      settings: env(),
      log: createLogger('bench'),
      sessionRefreshMs: 2_000,
      minFaceSize: values['min-face-size'] === undefined ? undefined : Number(values['min-face-size']),
      evidence: voteOverrides(),
    },
    controller.signal,
  );
  console.log(
    `bench:pipeline: ${cameraCount} cameras × ${fps} fps offered, 640×480, ${facesOffered} faces over all cameras (5–8 each, 30–80 px), ${pool.size} engine threads, ${minutes} min, min face size ${values['min-face-size'] ?? env().CAMERA_MIN_FACE_SIZE} px, vote overrides ${JSON.stringify(voteOverrides())}`,
  );
  const t0 = Date.now();
  const rss: string[] = [];
  const rotate = setInterval(() => {
    // New sessions: tracks restart, so people are recognised and recorded again (more latency samples).
    for (const room of rooms) {
      const startsAt = new Date(Date.now() - 60_000);
      void getDb()
        .update(classSessions)
        .set({ status: 'closed' })
        .where(eq(classSessions.cameraId, room.camera.cameraId))
        .then(() =>
          createSession(
            {
              courseId: room.course.courseId,
              cameraId: room.camera.cameraId,
              date: startsAt.toISOString().slice(0, 10),
              startsAt,
              endsAt: new Date(startsAt.getTime() + 3_600_000),
              room: null,
              lateAfterMinutes: null,
              status: 'scheduled',
            },
            null,
          ),
        );
    }
  }, 15_000);
  const sample = setInterval(
    () => rss.push(`${Math.round((Date.now() - t0) / 1000)}s:${Math.round(process.memoryUsage().rss / 2 ** 20)}MB`),
    10_000,
  );
  await new Promise((r) => setTimeout(r, minutes * 60_000));
  clearInterval(rotate);
  clearInterval(sample);
  const seconds = (Date.now() - t0) / 1000;
  const stats = pipeline.stats();
  controller.abort();
  await pipeline.stop();
  await pool.close();
  for (const s of servers) await s.close();
  const sum = (k: 'framesIn' | 'processed' | 'dropped' | 'faces' | 'recognized' | 'unknown') =>
    stats.cameras.reduce((a, c) => a + c[k], 0);
  console.log(
    JSON.stringify(
      {
        seconds: Math.round(seconds),
        framesIn: sum('framesIn'),
        processed: sum('processed'),
        processedPerSecond: +(sum('processed') / seconds).toFixed(2),
        dropped: sum('dropped'),
        faces: sum('faces'),
        tracksRecognized: sum('recognized'),
        tracksUnknown: sum('unknown'),
        attendanceRows: rows,
        latencyMs: { samples: latencies.length, p50: pct(latencies, 50), p95: pct(latencies, 95) },
        rss,
        writer: stats.writer,
      },
      null,
      2,
    ),
  );
  await bench.stop();
}

if (LECTURE) await import('./lecture/cli');
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
