/**
 * `npm run bench:pipeline -- --lecture vga|uxga [--cameras 1,2,4 | --find-max] [--minutes 3]`: lecture
 * halls (../shared/tools/lecture-hall.py, a different hall per camera, students walking in over the
 * first minutes) streamed by ffmpeg as ESP32-CAM MJPEG without re-encoding → one worker serving N
 * cameras. Prints, per camera count: cameras served, frames/s analysed vs arrived, time to record
 * per student, recall and rows of people not in the hall, CPU per camera (worker and ffmpeg) and RSS.
 * `--find-max` doubles N from the first --cameras value (up to --max-cameras) until a step does not hold, then
 * bisects the gap to within a tenth of the count that holds.
 * Progress on stderr.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { env } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { ffmpegAvailable } from '@/test/helpers/ffmpeg';
import { missingForHalls, renderHalls, type HallOptions, type RenderedHall } from './render';
import { runStep, type StepResult, type TemplateCache } from './run';
import { quantile } from './schedule';

const { values } = parseArgs({
  options: {
    lecture: { type: 'string' },
    cameras: { type: 'string', default: '1' },
    'find-max': { type: 'boolean', default: false },
    'max-cameras': { type: 'string', default: '64' },
    minutes: { type: 'string', default: '3' },
    arrivals: { type: 'string' },
    fps: { type: 'string' },
    'max-missed': { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const fail = (message: string): never => {
  process.stderr.write(`bench:pipeline --lecture: ${message}\n`);
  process.exit(2);
};
const mode =
  values.lecture === 'vga' || values.lecture === 'uxga' ? values.lecture : fail('--lecture must be vga or uxga');
const minutes = Number(values.minutes);
if (!(minutes >= 0.5)) fail('--minutes must be a number ≥ 0.5');
const arrivals = values.arrivals === undefined ? Math.min(2, minutes / 2) : Number(values.arrivals);
if (!(arrivals >= 0 && arrivals < minutes)) fail('--arrivals (minutes) must be ≥ 0 and less than --minutes');
const fps = values.fps === undefined ? (mode === 'vga' ? 5 : 2) : Number(values.fps);
if (!(fps > 0 && fps <= 30)) fail('--fps must be a number in (0, 30]');
const counts = values.cameras.split(',').map(Number);
if (!counts.every((n) => Number.isInteger(n) && n >= 1)) fail('--cameras must be whole numbers ≥ 1, comma-separated');
const maxCameras = Number(values['max-cameras']);
if (!Number.isInteger(maxCameras) || maxCameras < counts[0]!) fail('--max-cameras must be a whole number ≥ --cameras');
const maxMissed = Number(values['max-missed']);
if (!Number.isInteger(maxMissed) || maxMissed < 0) fail('--max-missed must be a whole number ≥ 0');

// Like bench-env: only errors, unless LOG_LEVEL says otherwise (the logger is made before the first step's env).
process.env.LOG_LEVEL ??= 'error';
const log = createLogger('bench-lecture');
const seconds = Math.round(minutes * 60);

function checkPrerequisites(): string {
  const missing = missingForHalls();
  if (missing) fail(missing);
  if (!ffmpegAvailable()) fail('needs ffmpeg on PATH to serve the MJPEG streams');
  return lfwDevDir() as string;
}

/** Why a step does not hold, or [] when every camera was served in real time with its recall intact. */
function problems(r: StepResult): string[] {
  const out: string[] = [];
  for (const c of r.perCamera) {
    const tag = `camera ${c.index}`;
    if (c.analysed === 0) out.push(`${tag} not served`);
    if (c.recorded < c.present - maxMissed) out.push(`${tag} recall ${c.recorded}/${c.present}`);
    if (c.notInHall.length + c.beforeArrival.length) out.push(`${tag} recorded someone not (yet) in the hall`);
    if (c.strangersRecorded.length) out.push(`${tag} recorded ${c.strangersRecorded.length} stranger(s)`);
    if (c.framesIn < 0.95 * c.offered) out.push(`${tag} read ${c.framesIn} of ${c.offered} frames`);
    if (c.secondHalf.dropped > 0.01 * c.secondHalf.in) out.push(`${tag} dropped ${c.secondHalf.dropped} (second half)`);
  }
  return out;
}

/** RSS change over the step's second half, when the class has walked in: flat means no leak or growing queue. */
function rssGrowth(r: StepResult): string {
  const series = r.rssMb.series;
  const mid = series.find(([s]) => s >= r.seconds / 2);
  if (!mid) return 'n/a';
  const mb = r.rssMb.end - mid[1];
  return `${mb >= 0 ? '+' : ''}${mb} MB`;
}

function print(r: StepResult): void {
  const times = r.perCamera.flatMap((c) => Object.values(c.toRecordSeconds));
  const recorded = r.perCamera.reduce((a, c) => a + c.recorded, 0);
  const present = r.perCamera.reduce((a, c) => a + c.present, 0);
  const wrong = r.perCamera.reduce((a, c) => a + c.notInHall.length + c.beforeArrival.length, 0);
  const strangers = r.perCamera.reduce((a, c) => a + c.strangersRecorded.length, 0);
  const otherSeat = r.perCamera.reduce((a, c) => a + c.fromAnotherSeat.length, 0);
  const bad = problems(r);
  console.log(
    `\n${r.cameras} × ${mode.toUpperCase()} at ${fps} fps, ${r.seconds} s: ${r.served} cameras served; frames/s arrived ${r.framesPerSecond.arrived}, analysed ${r.framesPerSecond.analysed}; recall ${recorded}/${present}; strangers recorded ${r.tracedFrames ? strangers : 'not traced'}, from another seat ${r.tracedFrames ? otherSeat : 'not traced'}, not (yet) in the hall ${wrong}; ${bad.length ? `does NOT hold (${bad.slice(0, 4).join('; ')}${bad.length > 4 ? '; …' : ''})` : 'holds'}`,
  );
  console.log(
    `  time to record (s): p50 ${quantile(times, 0.5)}, p95 ${quantile(times, 0.95)}, max ${times.length ? Math.max(...times) : NaN}`,
  );
  const half = r.perCamera.reduce(
    (a, c) => ({
      in: a.in + c.secondHalf.in,
      analysed: a.analysed + c.secondHalf.analysed,
      embedded: a.embedded + c.secondHalf.embedded,
    }),
    { in: 0, analysed: 0, embedded: 0 },
  );
  // Per camera and second of the second half (frames arrive at `fps`, so arrived / fps is the time).
  const perSecond = (x: number) => (half.in > 0 ? ((x / half.in) * fps).toFixed(2) : 'n/a');
  console.log(
    `  second half, per camera and second: ${perSecond(half.analysed)} frames analysed of ${fps}, ${perSecond(half.embedded)} faces embedded`,
  );
  console.log(
    `  CPU: worker ${r.cpu.workerCores} cores = ${r.cpu.perCamera} per camera (second half ${r.cpu.secondHalfPerCamera}); ffmpeg (-c:v copy) ${r.cpu.ffmpegCores} cores for all ${r.cameras}; RSS ${r.rssMb.start} → max ${r.rssMb.max} → end ${r.rssMb.end} MB (second half ${rssGrowth(r)})`,
  );
  for (const c of r.perCamera) {
    const t = Object.entries(c.toRecordSeconds).sort((a, b) => a[1] - b[1]);
    console.log(
      `  camera ${c.index}: ${c.recorded}/${c.present} recorded; frames arrived ${c.framesIn} of ~${c.offered}, analysed ${c.analysed}, gated ${c.gated}, faces embedded ${c.embedded}, dropped ${c.dropped}; second half: ${c.secondHalf.in} in, ${c.secondHalf.analysed} analysed, ${c.secondHalf.embedded} embedded, ${c.secondHalf.dropped} dropped, backlog ${c.backlog.half} → ${c.backlog.end}; reconnects ${c.reconnects}, errors ${c.analyzeErrors}, unknown crops ${c.unknownCrops}` +
        (c.missed.length ? `\n    missed: ${c.missed.join(', ')}` : '') +
        (c.strangersRecorded.length ? `\n    STRANGERS recorded: ${c.strangersRecorded.join(', ')}` : '') +
        (c.fromAnotherSeat.length ? `\n    recorded from another seat: ${c.fromAnotherSeat.join(', ')}` : '') +
        (c.notInHall.length ? `\n    NOT IN THE HALL but recorded: ${c.notInHall.join(', ')}` : '') +
        (c.beforeArrival.length ? `\n    recorded BEFORE walking in: ${c.beforeArrival.join(', ')}` : '') +
        (c.notEnrolled.length ? `\n    no enrolment photo accepted: ${c.notEnrolled.join(', ')}` : '') +
        `\n    to record (s): ${t.map(([n, s]) => `${n} ${s}`).join(', ')}`,
    );
  }
}

async function main(): Promise<void> {
  const lfw = checkPrerequisites();
  const pool = await FaceEnginePool.start();
  const work = await mkdtemp(path.join(os.tmpdir(), 'bench-lecture-halls-'));
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const loadAtStart = load();
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} [{bar}] {value}/{total}{unit} | frames in {in}, analysed {analysed} | rows {recorded}',
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 15_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const hallOptions: HallOptions = {
    lfw,
    mode,
    fps,
    spreadSeconds: arrivals * 60,
    stepSeconds: 10,
    seconds: seconds + 60, // the stream outlasts the step: set-up and stop take a little
    clipFrames: mode === 'vga' ? 10 : 4,
  };
  const halls: RenderedHall[] = [];
  const cache: TemplateCache = new Map();
  const results: StepResult[] = [];
  const step = async (n: number): Promise<StepResult> => {
    if (halls.length < n) {
      const more = n - halls.length;
      bar.start(more, 0, {
        phase: `rendering ${more} ${mode} halls`,
        unit: ' halls',
        in: '-',
        analysed: '-',
        recorded: '-',
      });
      const indices = Array.from({ length: more }, (_, k) => halls.length + k);
      halls.push(
        ...(await renderHalls(
          indices,
          (i) => path.join(work, `hall-${i}`),
          hallOptions,
          os.availableParallelism(),
          () => bar.increment(),
        )),
      );
      bar.stop();
    }
    process.stderr.write(`${n} camera${n > 1 ? 's' : ''}: new database, enrolling the rosters…\n`);
    const r = await runStep({
      pool,
      halls: halls.slice(0, n),
      fps,
      seconds,
      cache,
      log,
      bar,
      barLabel: `${n} camera${n > 1 ? 's' : ''}`,
    });
    bar.stop();
    log.info({ cameras: n, problems: problems(r) }, 'lecture step done');
    print(r);
    results.push(r);
    return r;
  };
  try {
    console.log(
      `bench:pipeline --lecture ${mode}: ${mode === 'vga' ? '640×480' : '1600×1200'} at ${fps} fps, arrivals over the first ${arrivals} min, ${minutes} min per step, default settings (CAMERA_MIN_FACE_SIZE ${env().CAMERA_MIN_FACE_SIZE}), ${pool.size} engine threads on ${os.availableParallelism()} cores; a step holds when every camera is served, reads ≥ 95 % of its frames, drops ≤ 1 % in its second half, misses ≤ ${maxMissed} present student(s) and records no stranger and nobody not (yet) in its hall; load average ${loadAtStart}`,
    );
    if (!values['find-max']) for (const n of counts) await step(n);
    else {
      let good = 0;
      let bad = 0;
      for (let n = counts[0]!; ; n = Math.min(2 * n, maxCameras)) {
        if (problems(await step(n)).length) {
          bad = n;
          break;
        }
        good = n;
        if (n >= maxCameras) break;
      }
      // To within a tenth of the count that holds (each step costs --minutes).
      while (bad && bad - good > Math.max(1, Math.floor(good / 10))) {
        const n = Math.floor((good + bad) / 2);
        if (problems(await step(n)).length) bad = n;
        else good = n;
      }
      console.log(
        `\nlargest camera count that holds: ${good || 'none'}${bad ? ` (${bad} does not)` : ` (stopped at --max-cameras ${maxCameras})`}`,
      );
    }
    console.log(`load average at end ${load()} (other jobs on the machine make CPU and timing figures noisy)`);
    if (values.json)
      await writeFile(values.json, JSON.stringify({ mode, fps, minutes, arrivals, loadAtStart, results }, null, 2));
  } finally {
    bar.stop();
    await pool.close();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
