/**
 * `npm run bench:hall [-- --hall vga|vga-ffmpeg|uxga|all --seconds 120 --json FILE]`: a lecture hall
 * seen by one ESP32-CAM at the front (../shared/tools/lecture-hall.py: rows of seats at real
 * distances, faces 74/d px wide at VGA, 185/d px at UXGA, dim and noisy) → ffmpeg serving its frames
 * in a loop as MJPEG with the ESP32 boundary at the camera's fps → the worker's camera stage with
 * DEFAULT settings and the real engine pool → a throwaway MariaDB database. Reports recall per row,
 * arrival → attendance row, strangers and absent students recorded (must be 0), frames processed and
 * dropped, and CPU per frame. Progress goes to stderr, the report to stdout.
 */
import { ARCFACE_DIMS } from '@/lib/face/engine-identity';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { faceTemplates, unknownFaces } from '@/db/schema';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { env } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { pipelineEvents, type AttendanceEvent } from '@/lib/recognition/pipeline-stats';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { makeCamera, makeCourse, makeSession, makeStudent } from '@/test/factories';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import { enrollPhotos, streamFramesWithFfmpeg } from '@/test/helpers/pipeline-setup';
import { startBenchEnvironment } from './bench-env';
import { HALL_SCRIPT, missingForHalls, PYTHON } from './lecture/render';
import type { Seat } from './lecture/schedule';
import { asFloats, cosine, seatOf } from './lecture/seat-trace';

type HallName = 'vga' | 'vga-ffmpeg' | 'uxga';
const HALLS: Record<HallName, { mode: 'vga' | 'uxga'; fps: number; reencode: boolean; target: number }> = {
  vga: { mode: 'vga', fps: 5, reencode: false, target: 14 },
  // What a new user gets from `ffmpeg … -f mpjpeg` without -q:v: the default MJPEG rate control.
  'vga-ffmpeg': { mode: 'vga', fps: 5, reencode: true, target: 13 },
  uxga: { mode: 'uxga', fps: 2, reencode: false, target: 23 },
};

const { values } = parseArgs({
  options: {
    hall: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '120' },
    json: { type: 'string' },
  },
});
const fail = (message: string): never => {
  process.stderr.write(`bench:hall: ${message}\n`);
  process.exit(2);
};
const halls: HallName[] =
  values.hall === 'all'
    ? ['vga', 'vga-ffmpeg', 'uxga']
    : values.hall in HALLS
      ? [values.hall as HallName]
      : fail(`--hall must be vga, vga-ffmpeg, uxga or all, not "${values.hall}"`);
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds < 10) fail('--seconds must be a number ≥ 10');
const progress = (line: string) => process.stderr.write(`bench:hall: ${line}\n`);

function checkPrerequisites(): string {
  const missing = missingForHalls();
  if (missing) fail(missing);
  if (!ffmpegAvailable()) fail('needs ffmpeg on PATH to serve the MJPEG stream');
  return lfwDevDir() as string;
}

/**
 * Python that runs lecture-hall.py up to its drawing code and prints its seat layout and arrival
 * frames: the script shuffles seats with its own seeded generator, so only it can say who sits where.
 */
const layoutScript = (script: string) => `
import json, sys
src = open(${JSON.stringify(script)}).read()
cut = src.find('\\ndef background')
if cut < 0: sys.exit('lecture-hall.py has no "def background": its layout code changed')
sys.argv = ['lecture-hall.py'] + sys.argv[1:]
g = {'__name__': 'layout'}
exec(src[:cut], g)
seats = [{'name': n, 'row': r, 'x': x, 'y': y, 'w': w} for n, r, x, y, w in g['layout']]
print(json.dumps({'seats': seats, 'arrival': g['arrival']}))
`;

type Truth = {
  present: string[];
  absent: string[];
  strangers: string[];
  rows: Array<{ distance_m: number; face_px: number }>;
};

/** Renders the hall into `dir` and reads back its truth and the script's own seat layout and arrivals. */
function renderHall(lfw: string, dir: string, mode: 'vga' | 'uxga') {
  const run = spawnSync(PYTHON, [HALL_SCRIPT, lfw, dir, mode], { encoding: 'utf8' });
  if (run.status !== 0) fail(`lecture-hall.py ${mode} failed: ${run.stderr || run.stdout}`);
  const truth = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as Truth;
  const layout = spawnSync(PYTHON, ['-c', layoutScript(HALL_SCRIPT), lfw, dir, mode], { encoding: 'utf8' });
  if (layout.status !== 0) fail(`could not read the seat layout from lecture-hall.py: ${layout.stderr}`);
  const { seats, arrival } = JSON.parse(layout.stdout) as { seats: Seat[]; arrival: Record<string, number> };
  return { truth, seats, arrival, summary: run.stdout.trim() };
}

/** The same frames through ffmpeg's MJPEG encoder with its default rate control (no -q:v). */
function reencode(from: string, to: string): void {
  const r = spawnSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-framerate',
    '5',
    '-i',
    `${from}/%03d.jpg`,
    `${to}/%03d.jpg`,
  ]);
  if (r.status !== 0) fail(`ffmpeg re-encode failed: ${r.stderr.toString()}`);
}

const meanKb = (dir: string) => {
  const files = readdirSync(dir);
  return files.reduce((s, f) => s + statSync(path.join(dir, f)).size, 0) / files.length / 1024;
};
const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor(p * s.length))] as number) : NaN;
};
async function runHall(name: HallName, lfw: string, pool: FaceEnginePool) {
  const hall = HALLS[name];
  const dir = await mkdtemp(path.join(os.tmpdir(), `bench-hall-${name}-`));
  const bench = await startBenchEnvironment(`hall-${name}`);
  try {
    progress(`${name}: rendering the hall…`);
    const { truth, seats, arrival, summary } = renderHall(lfw, dir, hall.mode);
    let frames = path.join(dir, 'frames');
    if (hall.reencode) {
      await mkdir((frames = path.join(dir, 'frames-ffmpeg')));
      reencode(path.join(dir, 'frames'), frames);
    }
    const course = await makeCourse();
    const port = await freePort();
    const camera = await makeCamera({ streamUrl: `http://127.0.0.1:${port}/stream`, room: `hall ${name}` });
    const session = await makeSession({
      courseId: course.courseId,
      cameraId: camera.cameraId,
      startsAt: new Date(Date.now() - 2 * 60_000),
    });
    progress(`${name}: ${summary}; enrolling ${truth.present.length + truth.absent.length} students…`);
    const names = new Map<string, string>();
    const gallery = new Map<string, Float32Array[]>();
    const notEnrolled: string[] = [];
    for (const person of [...truth.present, ...truth.absent]) {
      const student = await makeStudent({ name: person });
      names.set(student.studentId, person);
      await enrollStudent(course.courseId, student.studentId);
      const photos = readdirSync(path.join(dir, 'roster', person))
        .sort()
        .map((f) => path.join(dir, 'roster', person, f));
      if ((await enrollPhotos(pool, student.studentId, photos)) === 0) notEnrolled.push(person);
    }
    for (const t of await getDb().select().from(faceTemplates)) {
      const list = gallery.get(t.studentId) ?? [];
      // A [sharp | classroom] pair (embedding-matcher.ts, dual templates) is traced by both halves.
      const v = asFloats(t.embedding as Uint8Array);
      if (v.length === 2 * ARCFACE_DIMS) list.push(v.subarray(0, ARCFACE_DIMS), v.subarray(ARCFACE_DIMS));
      else list.push(v);
      gallery.set(t.studentId, list);
    }

    // Which seat each embedded face sat in, so a recorded student can be traced to the face that
    // carried the vote (a stranger or another student recorded under their name is caught).
    const seen = new Map<number, { at: number; template: Float32Array }>();
    const analyzeMs: number[] = [];
    let streamStart: number | null = null;
    const spy = new Proxy(pool, {
      get(target, prop) {
        if (prop === 'analyzeFrame')
          return async (...args: Parameters<FaceEnginePool['analyzeFrame']>) => {
            const t = Date.now();
            streamStart ??= t;
            const result = await target.analyzeFrame(...args);
            analyzeMs.push(Date.now() - t);
            for (const f of result.faces) {
              if (!f.template) continue;
              const seat = seatOf(seats, f.face.box);
              if (seat !== null) seen.set(seat, { at: Date.now(), template: asFloats(f.template.data) });
            }
            return result;
          };
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const recorded: Array<{ student: string; atMs: number; seat: Seat | null }> = [];
    const onAttendance = (e: AttendanceEvent) => {
      if (!e.created || e.sessionId !== session.sessionId) return;
      const templates = gallery.get(e.studentId) ?? [];
      let best: { seat: number; score: number } | null = null;
      for (const [seat, s] of seen) {
        if (Date.now() - s.at > 2_000) continue; // the deciding sighting was embedded moments ago
        const score = Math.max(...templates.map((t) => cosine(t, s.template)));
        if (!best || score > best.score) best = { seat, score };
      }
      recorded.push({
        student: names.get(e.studentId) ?? e.studentId,
        atMs: Date.now(),
        seat: best ? seats[best.seat]! : null,
      });
    };
    pipelineEvents.on('attendance', onAttendance);

    const ffmpeg = streamFramesWithFfmpeg(path.join(frames, '%03d.jpg'), port, hall.fps, true);
    const controller = new AbortController();
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const pipeline = await startCameraPipeline(
      { pool: spy, settings: env(), log: createLogger('bench-hall'), sessionRefreshMs: 2_000 },
      controller.signal,
    );
    const stats = () => pipeline.stats().cameras.find((c) => c.cameraId === camera.cameraId);
    // Frame counters every 5 s: drops after the warm-up (first sessions and galleries loaded, every face a
    // new track at once) say whether the camera's real time is held.
    const samples: Array<{ at: number; in: number; dropped: number }> = [];
    const sampler = setInterval(() => {
      const s = stats();
      samples.push({ at: Date.now() - t0, in: s?.framesIn ?? 0, dropped: s?.dropped ?? 0 });
    }, 5_000);
    const ticker = setInterval(() => {
      const s = stats();
      progress(
        `${name}: ${Math.round((Date.now() - t0) / 1000)} s, frames in ${s?.framesIn ?? 0}, processed ${s?.processed ?? 0}, dropped ${s?.dropped ?? 0}, recorded ${recorded.length}`,
      );
    }, 15_000);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    clearInterval(ticker);
    clearInterval(sampler);
    const wallS = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cam = stats();
    controller.abort();
    await pipeline.stop();
    await ffmpeg.kill();
    pipelineEvents.off('attendance', onAttendance);

    const rows = await listAttendanceForSession(session.sessionId);
    const rowNames = rows.map((r) => names.get(r.studentId) ?? r.studentId);
    const unknownCrops = (
      await getDb().select().from(unknownFaces).where(eq(unknownFaces.sessionId, session.sessionId))
    ).length;
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const half = samples.find((x) => x.at >= (wallS * 1000) / 2) ?? { in: 0, dropped: 0 };
    const secondHalf = { in: (cam?.framesIn ?? 0) - half.in, dropped: (cam?.dropped ?? 0) - half.dropped };
    const processed = cam?.processed ?? 0;
    const start = streamStart ?? t0;
    const firstRecord = new Map<string, (typeof recorded)[number]>();
    for (const r of recorded) if (!firstRecord.has(r.student)) firstRecord.set(r.student, r);
    const presentSeat = new Map(seats.filter((s) => s.name).map((s) => [s.name as string, s]));
    const byRow = truth.rows.map((row, i) => {
      const inRow = truth.present.filter((p) => presentSeat.get(p)?.row === i);
      const got = inRow.filter((p) => rowNames.includes(p));
      return { ...row, present: inRow.length, recorded: got.length, missed: inRow.filter((p) => !got.includes(p)) };
    });
    const latencies = truth.present.flatMap((p) => {
      const r = firstRecord.get(p);
      return r ? [(r.atMs - (start + ((arrival[p] ?? 0) * 1000) / hall.fps)) / 1000] : [];
    });
    // A row traced to a face in another seat: a stranger, or a student recorded under someone else's name.
    const misplaced = [...firstRecord.values()].filter((r) => r.seat && r.seat.name !== r.student);
    return {
      hall: name,
      size: hall.mode === 'uxga' ? '1600×1200' : '640×480',
      fps: hall.fps,
      meanFrameKb: +meanKb(frames).toFixed(1),
      seconds: Math.round(wallS),
      recall: { recorded: truth.present.filter((p) => rowNames.includes(p)).length, present: truth.present.length },
      target: hall.target,
      byRow,
      arrivalToRowS: {
        p50: +quantile(latencies, 0.5).toFixed(1),
        p95: +quantile(latencies, 0.95).toFixed(1),
        max: latencies.length ? +Math.max(...latencies).toFixed(1) : NaN,
      },
      strangersRecorded: misplaced.filter((r) => truth.strangers.includes(r.seat!.name ?? '')).map((r) => r.student),
      recordedFromAnotherSeat: misplaced.map((r) => `${r.student} ← seat of ${r.seat!.name ?? 'empty'}`),
      absentRecorded: rowNames.filter((n) => truth.absent.includes(n)),
      unknownCrops,
      notEnrolled,
      frames: {
        offered: Math.round(wallS * hall.fps),
        in: cam?.framesIn ?? 0,
        processed,
        dropped: cam?.dropped ?? 0,
        reconnects: cam?.reconnects ?? 0,
        analyzeErrors: cam?.analyzeErrors ?? 0,
      },
      analyzeMs: { p50: quantile(analyzeMs, 0.5), p95: quantile(analyzeMs, 0.95) },
      secondHalf,
      realTimeHeld: secondHalf.dropped <= 0.01 * secondHalf.in && (cam?.framesIn ?? 0) >= 0.95 * wallS * hall.fps,
      cpu: {
        secondsPerFrame: +(cpuS / Math.max(1, processed)).toFixed(3),
        coresPerCamera: +(cpuS / wallS).toFixed(2),
      },
    };
  } finally {
    await bench.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

type HallResult = Awaited<ReturnType<typeof runHall>>;

function print(r: HallResult): void {
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  console.log(
    `\n${r.hall}: ${r.size} at ${r.fps} fps, frames ~${r.meanFrameKb} KB, ${r.seconds} s — recorded ${r.recall.recorded} of ${r.recall.present} present (target ≥ ${r.target}: ${ok(r.recall.recorded >= r.target)})`,
  );
  for (const row of r.byRow)
    console.log(
      `  row ${row.distance_m} m, ${row.face_px} px: ${row.recorded}/${row.present}${row.missed.length ? `  missed ${row.missed.join(', ')}` : ''}`,
    );
  console.log(
    `  arrival → attendance row: p50 ${r.arrivalToRowS.p50} s, p95 ${r.arrivalToRowS.p95} s, max ${r.arrivalToRowS.max} s`,
  );
  console.log(
    `  strangers recorded ${r.strangersRecorded.length}, absent recorded ${r.absentRecorded.length}, recorded from another seat ${r.recordedFromAnotherSeat.length}${r.recordedFromAnotherSeat.length ? ` (${r.recordedFromAnotherSeat.join('; ')})` : ''}, unknown crops ${r.unknownCrops}${r.notEnrolled.length ? `, NOT ENROLLED (no photo accepted): ${r.notEnrolled.join(', ')}` : ''}`,
  );
  console.log(
    `  frames offered ~${r.frames.offered}, in ${r.frames.in}, processed ${r.frames.processed}, dropped ${r.frames.dropped} (second half: ${r.secondHalf.dropped} of ${r.secondHalf.in}), reconnects ${r.frames.reconnects}, errors ${r.frames.analyzeErrors}; analyze p50 ${r.analyzeMs.p50} ms / p95 ${r.analyzeMs.p95} ms; real time ${r.realTimeHeld ? 'held' : 'NOT held'}`,
  );
  console.log(
    `  CPU ${r.cpu.secondsPerFrame} s per frame, ${r.cpu.coresPerCamera} cores per camera (target ≤ 1: ${ok(r.cpu.coresPerCamera <= 1)})`,
  );
}

async function main(): Promise<void> {
  const lfw = checkPrerequisites();
  const pool = await FaceEnginePool.start();
  const load = os.loadavg().map((l) => l.toFixed(2));
  progress(`${pool.size} engine threads, ${os.availableParallelism()} cores, load average ${load.join(' ')}`);
  const results: HallResult[] = [];
  try {
    for (const name of halls) results.push(await runHall(name, lfw, pool));
  } finally {
    await pool.close();
  }
  console.log(
    `bench:hall — default settings (CAMERA_MIN_FACE_SIZE ${env().CAMERA_MIN_FACE_SIZE}), ${pool.size} engine threads on ${os.availableParallelism()} cores; load average at start ${load.join(' ')}, at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other jobs on the machine make CPU and timing figures noisy)`,
  );
  for (const r of results) print(r);
  if (values.json) await writeFile(values.json, JSON.stringify({ loadAverage: load, results }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
