/**
 * npm run eval:liveness -- --dataset DIR [--json FILE] [--window 10]
 *
 * Frame-level presentation-attack figures of the shipped liveness model at its shipped threshold,
 * on a folder holding live/**\/*.jpg (real people) and spoof/**\/*.jpg (photos, screens). The face is
 * the largest one the camera detector finds (same detector and minimum face size as the worker); a
 * frame without a face counts as rejected. --json writes exactly:
 *   {"live","spoof","no_face","threshold","apcer","bpcer","eer","ms_per_face":{"p50","p95"},"model"}
 * The per-track view (the worker's vote: mean score over a track's sightings) over windows of
 * --window consecutive frames of one recording is printed on stdout with the frame figures.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEFAULT_CAMERA_MIN_FACE_SIZE } from '@/lib/env';
import { decodeImage, ImageDecodeError } from '@/lib/face/image';
import { FacepluginLiveness } from '@/lib/face/liveness';
import { livenessFigures, percentiles, windowSamples, type LivenessSample } from './eval-lib/liveness-metrics';
import { UltraFaceDetector } from '@/lib/face/onnx/ultraface-detector';

const USAGE =
  'Usage: npm run eval:liveness -- --dataset DIR [--json FILE] [--window 10]   (DIR holds live/**/*.jpg and spoof/**/*.jpg)';

function fail(message: string, code = 2): never {
  process.stderr.write(`eval:liveness: ${message}\n${USAGE}\n`);
  process.exit(code);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dataset: { type: 'string' },
        json: { type: 'string' },
        window: { type: 'string', default: '10' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.dataset) fail('--dataset is required');
  const window = Number(values.window);
  if (!Number.isInteger(window) || window < 1) fail(`--window must be a whole number ≥ 1 (got "${values.window}")`);
  return { dataset: path.resolve(values.dataset), json: values.json, window };
}

const JPEG = /\.jpe?g$/i;
const byName = new Intl.Collator('en', { numeric: true }).compare;

/** Every .jpg under `dir` (following symbolic links), grouped into recordings: one folder + file name without its trailing frame number. */
async function recordings(dir: string): Promise<string[][]> {
  const groups = new Map<string, string[]>();
  const walk = async (d: string): Promise<void> => {
    for (const name of (await readdir(d)).sort(byName)) {
      const full = path.join(d, name);
      const s = await stat(full);
      if (s.isDirectory()) await walk(full);
      else if (s.isFile() && JPEG.test(name)) {
        const key = path.join(d, name.replace(/[_\-. ]?\d+\.jpe?g$/i, ''));
        groups.set(key, [...(groups.get(key) ?? []), full]);
      }
    }
  };
  await walk(dir);
  return [...groups.values()];
}

async function main(): Promise<void> {
  const args = parse();
  const top = await stat(args.dataset).catch(() => null);
  if (!top?.isDirectory()) fail(`${args.dataset} is not a folder`);
  const classes = { live: [] as string[][], spoof: [] as string[][] };
  for (const label of ['live', 'spoof'] as const) {
    const dir = path.join(args.dataset, label);
    if (!(await stat(dir).catch(() => null))?.isDirectory())
      fail(`${args.dataset} has no ${label}/ folder (expected live/**/*.jpg and spoof/**/*.jpg)`);
    classes[label] = await recordings(dir);
    if (classes[label].length === 0) fail(`${dir} holds no .jpg files`);
  }
  const [detector, liveness] = await Promise.all([UltraFaceDetector.load(), FacepluginLiveness.load()]);
  const total = classes.live.flat().length + classes.spoof.flat().length;
  const bar = new cliProgress.SingleBar(
    {
      format: 'liveness [{bar}] {value}/{total} | {eta_formatted} left',
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  const sequences: LivenessSample[][] = [];
  const ms: number[] = [];
  const unreadable: string[] = [];
  for (const label of ['live', 'spoof'] as const) {
    for (const files of classes[label]) {
      const seq: LivenessSample[] = [];
      for (const file of files) {
        bar.increment();
        let image;
        try {
          image = await decodeImage(await readFile(file));
        } catch (err) {
          if (!(err instanceof ImageDecodeError)) throw err;
          unreadable.push(`${path.relative(args.dataset, file)}: ${err.message}`);
          continue;
        }
        const face = (await detector.findFaces(image, { minFaceSize: DEFAULT_CAMERA_MIN_FACE_SIZE }))[0];
        if (!face) {
          seq.push({ label, score: null });
          continue;
        }
        const t0 = performance.now();
        const score = await liveness.score(image, face.box);
        ms.push(performance.now() - t0);
        seq.push({ label, score });
      }
      sequences.push(seq);
    }
  }
  bar.stop();
  if (unreadable.length)
    process.stderr.write(
      `eval:liveness: ${unreadable.length} file(s) are not readable JPEGs and were left out:\n  ${unreadable.join('\n  ')}\n`,
    );
  const frames = sequences.flat();
  if (frames.filter((s) => s.label === 'live').length === 0 || frames.filter((s) => s.label === 'spoof').length === 0)
    fail('need at least one readable live and one readable spoof image', 1);
  const f = livenessFigures(frames, liveness.threshold);
  const report = {
    live: f.live,
    spoof: f.spoof,
    no_face: f.no_face,
    threshold: liveness.threshold,
    apcer: f.apcer,
    bpcer: f.bpcer,
    eer: f.eer,
    ms_per_face: percentiles(ms),
    model: liveness.id,
  };
  const tracks = livenessFigures(windowSamples(sequences, args.window), liveness.threshold);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  process.stdout.write(
    `${report.model} at threshold ${report.threshold}\n` +
      `frames: ${f.live} live, ${f.spoof} spoof, ${f.no_face} without a face\n` +
      `  APCER ${pct(f.apcer)}   BPCER ${pct(f.bpcer)}   EER ${pct(f.eer)}   ${report.ms_per_face.p50} ms/face p50, ${report.ms_per_face.p95} p95\n` +
      `tracks (windows of ${args.window} frames, mean score): ${tracks.live} live, ${tracks.spoof} spoof\n` +
      `  APCER ${pct(tracks.apcer)}   BPCER ${pct(tracks.bpcer)}   EER ${pct(tracks.eer)}\n`,
  );
  if (args.json) await writeFile(args.json, JSON.stringify(report, null, 2) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`eval:liveness: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
