/**
 * `npm run bench:detect [-- --detector ultraface --min-face-size 20 --frames 200 --seed 1
 * --json FILE --save-frames DIR]`: recall, false detections and time per frame of the worker's face
 * detector on synthetic classroom camera frames (bench/detect-frames.ts) at 640×480 (ESP32-CAM VGA,
 * 8 faces each) and 1600×1200 (16 faces each), built from real faces in ../shared/faces/lfw-dev.
 * Ground truth: the detector's own box on each untouched source photo, scaled with the pasted face;
 * a detection finds a face at IoU ≥ 0.3 (greedy, best overlap first), any other detection is false.
 */
import { readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEFAULT_CAMERA_MIN_FACE_SIZE } from '@/lib/env';
import { FaceEngine } from '@/lib/face/engine';
import { DETECTOR_NAMES, type DetectorName } from '@/lib/face/engine-identity';
import { iou } from '@/lib/face/boxes';
import { machineDescription } from '@/scripts/eval-lib/evaluate';
import type { FaceBox } from '@/lib/face/types';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import {
  BACKGROUNDS,
  BUCKETS,
  CONDITIONS,
  backgroundSources,
  bucketLabel,
  composeFrame,
  drawBoxes,
  mulberry32,
  unusableReason,
  type Background,
  type ComposedFrame,
  type Condition,
  type SourceFace,
} from './detect-frames';

/** The worker's CAMERA_MIN_FACE_SIZE default, which the worker passes as minFaceSize. */
const WORKER_MIN_FACE_SIZE = DEFAULT_CAMERA_MIN_FACE_SIZE;
const MIN_IOU = 0.3;
const TARGETS = { recallFrom32: 0.98, recall20to32: 0.9, falsePerFrame: 0.05, vgaDetectMs: 15 };

const { values } = parseArgs({
  options: {
    detector: { type: 'string', default: 'ultraface' },
    'min-face-size': { type: 'string', default: String(WORKER_MIN_FACE_SIZE) },
    frames: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
    'save-frames': { type: 'string' },
  },
});
const fail = (message: string): never => {
  process.stderr.write(`bench:detect: ${message}\n`);
  process.exit(2);
};
const detector = DETECTOR_NAMES.includes(values.detector as DetectorName)
  ? (values.detector as DetectorName)
  : fail(`--detector must be one of ${DETECTOR_NAMES.join(', ')}, not "${values.detector}"`);
const minFaceSize = Number(values['min-face-size']);
const vgaFrames = Number(values.frames);
const seed = Number(values.seed);
if (!Number.isInteger(minFaceSize) || minFaceSize < 0) fail('--min-face-size must be a whole number ≥ 0');
if (!Number.isInteger(vgaFrames) || vgaFrames < 1) fail('--frames must be a whole number ≥ 1');
if (!Number.isInteger(seed)) fail('--seed must be a whole number');

const RESOLUTIONS = [
  { width: 640, height: 480, frames: vgaFrames, faces: 8 },
  { width: 1600, height: 1200, frames: Math.max(1, Math.round(vgaFrames / 5)), faces: 16 },
];
/** Frames written by --save-frames, per resolution: the first few, plus some with misses or false detections. */
const SAVE_FIRST = 4,
  SAVE_TROUBLE = 8;

const bar = new cliProgress.SingleBar(
  {
    format: '{phase} [{bar}] {value}/{total} | {eta_formatted} left',
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  },
  cliProgress.Presets.shades_classic,
);
const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const ratio = (found: number, n: number) => (n > 0 ? found / n : null);
const pct = (r: number | null) => (r === null ? 'n/a' : `${(100 * r).toFixed(1)} %`);

/** Known identities' first photo and every stranger's photo, in name order. */
function sourcePhotos(lfw: string): string[] {
  const first = (dir: string) => path.join(dir, readdirSync(dir).sort()[0] as string);
  return ['known', 'strangers'].flatMap((group) =>
    readdirSync(path.join(lfw, group))
      .sort()
      .map((name) => first(path.join(lfw, group, name))),
  );
}

/** Greedy matching, best overlap first: which ground-truth faces are found, which detections are false. */
function matchDetections(truth: FaceBox[], found: FaceBox[]): { matched: boolean[]; falseDetections: number[] } {
  const pairs: Array<[number, number, number]> = [];
  truth.forEach((t, i) =>
    found.forEach((d, j) => {
      const o = iou(t, d);
      if (o >= MIN_IOU) pairs.push([o, i, j]);
    }),
  );
  pairs.sort((a, b) => b[0] - a[0]);
  const matched = truth.map(() => false),
    used = found.map(() => false);
  for (const [, i, j] of pairs) {
    if (matched[i] || used[j]) continue;
    matched[i] = true;
    used[j] = true;
  }
  return { matched, falseDetections: used.flatMap((u, j) => (u ? [] : [j])) };
}

/** Whether the centre of `d` lies inside `g`. */
const insideBox = (d: FaceBox, g: FaceBox) => {
  const cx = d.x + d.width / 2,
    cy = d.y + d.height / 2;
  return cx >= g.x && cx <= g.x + g.width && cy >= g.y && cy <= g.y + g.height;
};

/** Green: found face; yellow: missed face; red: false detection; blue: the detection that found a face. */
async function saveFrame(
  dir: string,
  index: number,
  frame: ComposedFrame,
  detections: FaceBox[],
  m: ReturnType<typeof matchDetections>,
): Promise<void> {
  const boxes = [
    ...frame.faces.map((g, i) => ({ box: g.box, colour: m.matched[i] ? '#00ff00' : '#ffff00' })),
    ...detections.map((box, j) => ({ box, colour: m.falseDetections.includes(j) ? '#ff0000' : '#3399ff' })),
  ];
  const missed = frame.faces.length - m.matched.filter(Boolean).length;
  const name = `${frame.width}x${frame.height}-${String(index).padStart(3, '0')}-${frame.background}-${frame.condition}-q${frame.quality}-missed${missed}-false${m.falseDetections.length}.png`;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), await drawBoxes(frame.jpeg, frame.width, frame.height, boxes));
}

type Tally = { n: number; found: number };
const tally = (): Tally => ({ n: 0, found: 0 });

async function main(): Promise<void> {
  const lfw = lfwDevDir();
  if (!lfw) {
    process.stderr.write(
      `bench:detect: needs the LFW faces in ${path.resolve('../shared/faces/lfw-dev')} (known/ and strangers/), which is missing; run from the repository root next to ../shared\n`,
    );
    process.exit(1);
  }
  const started = performance.now(),
    loadAtStart = os.loadavg()[0];
  const engine = await FaceEngine.load({ detector });

  // Ground truth on the untouched photos: the largest face, whole-photo scan only.
  const photos = sourcePhotos(lfw);
  const sources: SourceFace[] = [];
  const skipped = new Map<string, number>(
    ['no face found on the photo', 'another face inside the crop', 'face cut by the photo edge'].map((why) => [why, 0]),
  );
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  bar.start(photos.length, 0, { phase: 'ground truth' });
  for (const file of photos) {
    const image = await engine.decode(await readFile(file));
    const [main, ...others] = await engine.detect(image, { minFaceSize: 0 });
    bar.increment();
    if (!main) {
      skip('no face found on the photo');
      continue;
    }
    const src = { file, width: image.width, height: image.height, box: main.box, others: others.map((o) => o.box) };
    const why = unusableReason(src);
    if (why) skip(why);
    else sources.push(src);
  }
  bar.stop();
  const bgSources = backgroundSources(sources);
  if (sources.length === 0 || bgSources.length === 0) throw new Error('no usable source photos');

  const rng = mulberry32(seed);
  const results = [];
  for (const res of RESOLUTIONS) {
    const label = `${res.width}×${res.height}`;
    const buckets = BUCKETS.map(tally);
    const byCondition = Object.fromEntries(CONDITIONS.map((c) => [c, { small: tally(), large: tally() }])) as Record<
      Condition,
      { small: Tally; large: Tally }
    >;
    const falseByBackground = Object.fromEntries(
      BACKGROUNDS.map((b) => [b, { frames: 0, falseDetections: 0 }]),
    ) as Record<Background, { frames: number; falseDetections: number }>;
    const detectMs: number[] = [],
      decodeMs: number[] = [];
    let falseDetections = 0,
      falseOnFace = 0,
      falseOnPhoto = 0,
      saved = 0,
      savedTrouble = 0;
    bar.start(res.frames, 0, { phase: label.padEnd(12) });
    for (let f = 0; f < res.frames; f++) {
      const frame: ComposedFrame = await composeFrame(rng, sources, bgSources, { ...res, index: f });
      const t0 = performance.now();
      const image = await engine.decode(frame.jpeg);
      const t1 = performance.now();
      const detections = await engine.detect(image, { minFaceSize });
      decodeMs.push(t1 - t0);
      detectMs.push(performance.now() - t1);
      const m = matchDetections(
        frame.faces.map((g) => g.box),
        detections.map((d) => d.box),
      );
      frame.faces.forEach((g, i) => {
        const found = m.matched[i] ? 1 : 0;
        buckets[g.bucket].n++;
        buckets[g.bucket].found += found;
        const group = g.bucket < 2 ? byCondition[frame.condition].small : byCondition[frame.condition].large;
        group.n++;
        group.found += found;
      });
      falseDetections += m.falseDetections.length;
      // Where false detections sit: inside a face (a part or a second box of it), elsewhere on a pasted photo, or on the background.
      for (const j of m.falseDetections) {
        if (frame.faces.some((g) => insideBox(detections[j].box, g.box))) falseOnFace++;
        else if (frame.faces.some((g) => insideBox(detections[j].box, g.pasted))) falseOnPhoto++;
      }
      falseByBackground[frame.background].frames++;
      falseByBackground[frame.background].falseDetections += m.falseDetections.length;
      const trouble = m.falseDetections.length > 0 || frame.faces.some((g, i) => !m.matched[i] && g.bucket >= 2);
      if (values['save-frames'] && (saved < SAVE_FIRST || (trouble && savedTrouble < SAVE_TROUBLE))) {
        if (saved >= SAVE_FIRST) savedTrouble++;
        saved++;
        await saveFrame(
          values['save-frames'],
          f,
          frame,
          detections.map((d) => d.box),
          m,
        );
      }
      bar.increment();
    }
    bar.stop();
    const sum = (from: number, to: number) =>
      buckets.slice(from, to).reduce((a, b) => ({ n: a.n + b.n, found: a.found + b.found }), tally());
    const small = sum(0, 2),
      large = sum(2, BUCKETS.length);
    results.push({
      resolution: label,
      width: res.width,
      height: res.height,
      frames: res.frames,
      faces: res.frames * res.faces,
      buckets: buckets.map((b, i) => ({ px: bucketLabel(i), n: b.n, found: b.found, recall: ratio(b.found, b.n) })),
      recall20to32: ratio(small.found, small.n),
      recallFrom32: ratio(large.found, large.n),
      recallByCondition: Object.fromEntries(
        CONDITIONS.map((c) => [
          c,
          {
            '20–32': ratio(byCondition[c].small.found, byCondition[c].small.n),
            '≥32': ratio(byCondition[c].large.found, byCondition[c].large.n),
          },
        ]),
      ),
      falseDetections,
      falseOnFace,
      falseOnPastedPhoto: falseOnPhoto,
      falseOnBackground: falseDetections - falseOnFace - falseOnPhoto,
      falsePerFrame: falseDetections / res.frames,
      falsePerFrameByBackground: Object.fromEntries(
        BACKGROUNDS.map((b) => [
          b,
          falseByBackground[b].frames ? falseByBackground[b].falseDetections / falseByBackground[b].frames : null,
        ]),
      ),
      detectMs: {
        p50: quantile(detectMs, 0.5),
        p95: quantile(detectMs, 0.95),
        mean: detectMs.reduce((a, b) => a + b, 0) / detectMs.length,
      },
      decodeMs: { p50: quantile(decodeMs, 0.5), p95: quantile(decodeMs, 0.95) },
    });
  }

  const vga = results[0];
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const seconds = (performance.now() - started) / 1000,
    loadAtEnd = os.loadavg()[0];
  const lines = [
    `detector  ${engine.detector.name}, minFaceSize ${minFaceSize}, seed ${seed}`,
    `faces     ${sources.length} of ${photos.length} LFW photos used; skipped ${[...skipped].map(([why, n]) => `${n} (${why})`).join(', ')}`,
    ...results.map((r) => {
      const perBucket = r.buckets.map((b) => `${b.px} px ${pct(b.recall)} (n=${b.n})`).join(', ');
      const byCond = CONDITIONS.map(
        (c) => `${c} ${pct(r.recallByCondition[c]['20–32'])} / ${pct(r.recallByCondition[c]['≥32'])}`,
      ).join(', ');
      const byBg = BACKGROUNDS.map((b) => `${b} ${r.falsePerFrameByBackground[b]?.toFixed(2) ?? 'n/a'}`).join(', ');
      return [
        `${r.resolution.padEnd(9)} ${r.frames} frames, ${r.faces} faces: recall ${perBucket}; 20–32 px ${pct(r.recall20to32)}, ≥32 px ${pct(r.recallFrom32)}; false detections ${r.falsePerFrame.toFixed(2)} / frame (${r.falseDetections}: ${r.falseOnFace} on a face, ${r.falseOnPastedPhoto} elsewhere on a pasted photo, ${r.falseOnBackground} on the background); detect p50 ${r.detectMs.p50.toFixed(1)} ms, p95 ${r.detectMs.p95.toFixed(1)} ms (decode ${r.decodeMs.p50.toFixed(1)} ms)`,
        `          recall 20–32 / ≥32 px by frame: ${byCond}; false / frame by background: ${byBg}`,
      ].join('\n');
    }),
    `targets   recall ≥ ${100 * TARGETS.recallFrom32} % (≥ 32 px), ≥ ${100 * TARGETS.recall20to32} % (20–32 px); ≤ ${TARGETS.falsePerFrame} false / frame; ≤ ${TARGETS.vgaDetectMs} ms per VGA frame`,
    `640×480   ≥32 px ${met((vga.recallFrom32 ?? 0) >= TARGETS.recallFrom32)}, 20–32 px ${met((vga.recall20to32 ?? 0) >= TARGETS.recall20to32)}, false detections ${met(vga.falsePerFrame <= TARGETS.falsePerFrame)}, time ${met(vga.detectMs.p50 <= TARGETS.vgaDetectMs)} (p50, ONNX_THREADS ${process.env.ONNX_THREADS ?? '1 (default)'})`,
    `machine   ${machineDescription()}`,
    `run       ${seconds.toFixed(0)} s; 1-min load average ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (values.json) {
    const report = {
      detector: engine.detector.name,
      minFaceSize,
      seed,
      minIou: MIN_IOU,
      sourcePhotos: photos.length,
      usedPhotos: sources.length,
      skipped: Object.fromEntries(skipped),
      results,
      targets: TARGETS,
      machine: machineDescription(),
      seconds,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
    };
    await writeFile(values.json, JSON.stringify(report, null, 2) + '\n');
  }
}

main().catch((err: unknown) => {
  bar.stop();
  console.error(err);
  process.exit(1);
});
