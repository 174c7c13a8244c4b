/**
 * npm run eval -- --dataset DIR [--enroll 3] [--matcher embedding|keypoints] [--embedder NAME] [--detector NAME]
 *                  [--threshold T] [--probe-face-width PX] [--fuse N] [--exclude REL_PATH]… [--limit N] [--json FILE]
 *                  [--details FILE]
 *
 * --probe-face-width shrinks every probe (not the enrollment photos) so its largest face is about PX
 * wide, then re-encodes it as JPEG (quality 80): the faces a classroom camera sees at 2–4 m. PX is the
 * detector's box width (the box found on the shrunk probe comes out within ±10 % of it, see
 * `probe_face_px` in the report).
 * --fuse N matches each probe on the evidence of N camera sightings instead of one photo, as the camera
 * worker decides a face track: each sighting is the probe (shrunk to PX when given) with its own small
 * shift and scale jitter, darkening, sensor noise and JPEG compression (seeded by the file name, so runs
 * repeat: lib/face/simulated-sightings.ts); the largest face of each is embedded and weighted by
 * sightingWeight, and the fused template (lib/face/fusion.ts) is matched. Strangers are fused the same way.
 * --exclude drops a photo (path relative to the dataset) from the run, e.g. a known mislabelled one.
 *
 * --details writes one JSON line per probe (file, truth, best identity, score, runner-up score, faces used,
 * ms) to study the errors.
 *
 * Measures recognition on a folder of real photos with the protocol of ../shared/faces/README.md,
 * so a university can check accuracy and pick a threshold on its own class photos before going live.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { fusedBar } from '@/lib/attendance/track-evidence';
import { FaceEngine } from '@/lib/face/engine';
import { engineOptionsFromEnv, type EngineSettings } from '@/lib/face/engine-config';
import {
  DEFAULT_MATCHER,
  DETECTOR_NAMES,
  EMBEDDER_NAMES,
  MATCHER_KINDS,
  type DetectorName,
  type EmbedderName,
  type MatcherKind,
} from '@/lib/face/engine-identity';
import { bytesToEmbedding } from '@/lib/face/embedding-bytes';
import { FusedEmbedding, sightingWeight } from '@/lib/face/fusion';
import { ImageDecodeError } from '@/lib/face/image';
import type { FaceTemplate } from '@/lib/face/types';
import { probeViews } from '@/lib/face/simulated-sightings';
import { matcherFactory } from '@/lib/recognition/matcher-factory';
import { DatasetError, loadDataset, summarize, type EvaluationReport, type ProbeResult } from './eval-lib/evaluate';

const USAGE = `Usage: npm run eval -- --dataset DIR [--enroll 3] [--matcher ${MATCHER_KINDS.join('|')}] [--embedder ${EMBEDDER_NAMES.join('|')}] [--detector ${DETECTOR_NAMES.join('|')}] [--threshold T] [--probe-face-width PX] [--fuse N] [--exclude REL_PATH]… [--limit N] [--json FILE] [--details FILE]`;

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dataset: { type: 'string' },
        enroll: { type: 'string', default: '3' },
        matcher: { type: 'string', default: DEFAULT_MATCHER },
        embedder: { type: 'string' },
        detector: { type: 'string' },
        threshold: { type: 'string' },
        'probe-face-width': { type: 'string' },
        fuse: { type: 'string' },
        exclude: { type: 'string', multiple: true },
        limit: { type: 'string' },
        json: { type: 'string' },
        details: { type: 'string' },
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
  if (!MATCHER_KINDS.includes(values.matcher as MatcherKind))
    fail(`--matcher must be ${MATCHER_KINDS.join(' or ')} (got "${values.matcher}")`);
  if (values.embedder !== undefined && !EMBEDDER_NAMES.includes(values.embedder as EmbedderName))
    fail(`--embedder must be one of ${EMBEDDER_NAMES.join(', ')} (got "${values.embedder}")`);
  if (values.detector !== undefined && !DETECTOR_NAMES.includes(values.detector as DetectorName))
    fail(`--detector must be one of ${DETECTOR_NAMES.join(', ')} (got "${values.detector}")`);
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) fail(`--${name} must be a number (got "${v}")`);
    return n;
  };
  const fuse = values.fuse === undefined ? undefined : Number(values.fuse);
  if (fuse !== undefined && !(Number.isInteger(fuse) && fuse >= 1))
    fail(`--fuse must be a whole number of sightings ≥ 1 (got "${values.fuse}")`);
  if (fuse !== undefined && values.matcher !== 'embedding') fail('--fuse needs --matcher embedding');
  return {
    dataset: path.resolve(values.dataset),
    enroll: num('enroll', values.enroll)!,
    matcher: values.matcher as MatcherKind,
    embedder: values.embedder as EmbedderName | undefined,
    detector: values.detector as DetectorName | undefined,
    threshold: num('threshold', values.threshold),
    probeFaceWidth: num('probe-face-width', values['probe-face-width']),
    fuse,
    exclude: values.exclude ?? [],
    limit: num('limit', values.limit),
    json: values.json,
    details: values.details,
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

function printSummary(r: EvaluationReport): void {
  const lines = [
    `dataset            ${r.dataset}`,
    `matcher / model    ${r.matcher} / ${r.model}`,
    `identities         ${r.identities} (enroll ${r.enroll_per_identity} photos each)`,
    `probes             ${r.genuine_probes} genuine, ${r.stranger_probes} strangers; ${r.detection_failures} without a face`,
    `rank-1             ${pct(r.rank1)}`,
    `FAR ≤ 0.1 %        threshold ${r.far_0_1pct.threshold.toFixed(4)} → genuine accept ${pct(r.far_0_1pct.genuine_accept)}`,
    `FAR ≤ 1 %          threshold ${r.far_1pct.threshold.toFixed(4)} → genuine accept ${pct(r.far_1pct.genuine_accept)}`,
    `operating          threshold ${r.operating.threshold}${r.operating.fused_bars ? ' (fused probes: the bar for their face width, lib/face/config.ts FUSED_THRESHOLDS)' : ''} → genuine accept ${pct(r.operating.genuine_accept)}, stranger false-accept ${pct(r.operating.false_accept)}, wrong identity ${pct(r.operating.wrong_identity)}`,
    ...(r.highest_stranger === null ? [] : [`highest stranger   ${r.highest_stranger.toFixed(4)}`]),
    ...(r.probe_face_px === null
      ? []
      : [
          `probe face box     p10 ${r.probe_face_px.p10.toFixed(1)}, p50 ${r.probe_face_px.p50.toFixed(1)}, p90 ${r.probe_face_px.p90.toFixed(1)} px (detector box width on the probes)`,
        ]),
    ...(r.fuse === null
      ? []
      : [
          `fusion             ${r.fuse} simulated camera sightings per probe (jitter, dim, noise, JPEG), ${r.sightings_without_face} of ${r.fuse * (r.genuine_probes + r.stranger_probes)} without a face`,
        ]),
    `ms per probe       p50 ${r.ms_per_probe.p50.toFixed(1)}, p95 ${r.ms_per_probe.p95.toFixed(1)} (decode + detect + embed${r.fuse === null ? '' : ` of ${r.fuse} sightings + fuse`} + match)`,
    `machine            ${r.machine}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const args = parse();
  let dataset;
  try {
    dataset = await loadDataset(args.dataset, args.enroll);
  } catch (err) {
    if (err instanceof DatasetError) fail(err.message);
    throw err;
  }
  if (args.exclude.length > 0) {
    const drop = new Set(args.exclude.map((f) => path.resolve(args.dataset, f)));
    const found = [...dataset.known.flatMap((k) => [...k.enroll, ...k.probes]), ...dataset.strangers].filter((f) =>
      drop.has(f),
    ).length;
    if (found < drop.size) fail(`--exclude: ${drop.size - found} of the given files are not photos of ${args.dataset}`);
    for (const k of dataset.known) k.probes = k.probes.filter((f) => !drop.has(f));
    dataset.strangers = dataset.strangers.filter((f) => !drop.has(f));
  }
  if (args.probeFaceWidth !== undefined && !(args.probeFaceWidth >= 8))
    fail('--probe-face-width must be at least 8 pixels');
  if (args.limit !== undefined) {
    dataset.known = dataset.known.slice(0, args.limit);
    dataset.strangers = dataset.strangers.slice(0, args.limit * 2);
  }
  // The engine and gallery the worker would run with these settings (--threshold is MIN_MATCH_COUNT for keypoints).
  const settings: EngineSettings = {
    MATCHER: args.matcher,
    FACE_EMBEDDER: args.embedder,
    FACE_DETECTOR: args.detector,
    MATCH_THRESHOLD: args.threshold,
    MIN_MATCH_COUNT: args.threshold,
  };
  const engine = await FaceEngine.load(engineOptionsFromEnv(settings));
  const matchers = matcherFactory(settings);
  const matcher = await matchers.createMatcher(engine.embedder.model, engine.embedder.version);
  const enrollCount = dataset.known.reduce((s, k) => s + k.enroll.length, 0);
  const probeCount = dataset.known.reduce((s, k) => s + k.probes.length, 0) + dataset.strangers.length;
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
  const skipped: string[] = [];
  const readImage = async (file: string, bytes?: Buffer) => {
    try {
      return await engine.decode(bytes ?? (await readFile(file)));
    } catch (err) {
      if (err instanceof ImageDecodeError) {
        skipped.push(`${file}: ${err.message}`);
        return null;
      }
      throw err;
    }
  };
  // Enrollment: the largest face of each enrollment photo.
  bar.start(enrollCount, 0, { phase: 'enroll' });
  let enrollFailures = 0;
  for (const person of dataset.known) {
    for (const file of person.enroll) {
      const image = await readImage(file);
      const largest = image ? (await engine.detect(image)).sort((a, b) => b.box.width - a.box.width)[0] : undefined;
      if (!image || !largest) enrollFailures++;
      else matcher.add(person.name, await engine.extractForEnrollment(image, largest));
      bar.increment();
    }
  }
  bar.stop();
  // Probes: decode + detect + embed + match, timed together.
  const probes = [
    ...dataset.known.flatMap((k) => k.probes.map((file) => ({ file, truth: k.name as string | null }))),
    ...dataset.strangers.map((file) => ({ file, truth: null })),
  ];
  const results: Array<ProbeResult & { file: string; runnerUp: number | null }> = [];
  bar.start(probeCount, 0, { phase: 'probe ' });
  for (const p of probes) {
    const views = await probeViews(engine, await readFile(p.file), {
      faceWidth: args.probeFaceWidth,
      fuse: args.fuse,
      name: path.relative(args.dataset, p.file),
    });
    const start = performance.now();
    // With --fuse, every sighting that shows a face adds its embedding, weighted by its quality.
    const fused = new FusedEmbedding();
    const faceWidths: number[] = [];
    let widthSum = 0;
    let template: FaceTemplate | null = null;
    for (const bytes of views) {
      const image = await readImage(p.file, bytes);
      const largest = image ? (await engine.detect(image)).sort((a, b) => b.box.width - a.box.width)[0] : undefined;
      if (!image || !largest) continue;
      template = await engine.extract(image, largest);
      faceWidths.push(largest.box.width);
      if (args.fuse) {
        const weight = sightingWeight({ faceWidth: largest.box.width, detectorScore: largest.score });
        fused.add(bytesToEmbedding(template.data), weight);
        widthSum += weight * largest.box.width;
      }
    }
    // The fused probe's face width is its sightings' weighted mean, as for a camera track.
    const fusedTemplate = args.fuse ? fused.template(engine.embedder.model, engine.embedder.version) : null;
    if (fusedTemplate) template = { ...fusedTemplate, faceWidth: widthSum / fused.weight };
    const ranked = template && matcher.size.identities > 0 ? await matcher.rank(template, 2) : [];
    results.push({
      file: p.file,
      truth: p.truth,
      best: ranked[0] ?? null,
      runnerUp: ranked[1]?.score ?? null,
      ms: performance.now() - start,
      sightings: args.fuse,
      faceWidths,
      // A fused probe must clear the camera's fused-template bar for its faces' width, as a track does.
      ...(fusedTemplate ? { bar: fusedBar(matchers.evidenceOptions(), template?.faceWidth ?? Infinity) } : {}),
    });
    bar.increment();
  }
  bar.stop();
  const report = summarize(results, {
    dataset: args.dataset,
    matcher: args.matcher,
    model: `${engine.embedder.model}@${engine.embedder.version}`,
    enroll: args.enroll,
    identities: dataset.known.length,
    threshold: engine.threshold,
    fuse: args.fuse,
  });
  printSummary(report);
  if (enrollFailures > 0)
    process.stdout.write(`note               ${enrollFailures} enrollment photos had no detectable face\n`);
  if (skipped.length > 0)
    process.stdout.write(
      `note               ${skipped.length} files could not be read:\n  ${skipped.slice(0, 10).join('\n  ')}\n`,
    );
  if (args.json) await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
  if (args.details) {
    const lines = results.map((r) =>
      JSON.stringify({
        file: path.relative(args.dataset, r.file),
        truth: r.truth,
        identity: r.best?.identity ?? null,
        score: r.best?.score ?? null,
        runner_up: r.runnerUp,
        faces: r.faceWidths?.length,
        ms: Math.round(r.ms),
      }),
    );
    await writeFile(args.details, `${lines.join('\n')}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`eval: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
