/**
 * The evaluation protocol of ../shared/faces/README.md, for any folder laid out as
 * `known/<Name>/*` (+ optional `strangers/<Name>/*`): the first `enroll` photos of each known identity
 * (file-name order) enroll it, its other photos are genuine probes, every stranger photo is an
 * impostor probe whose right answer is "unknown".
 */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

export class DatasetError extends Error {}

export type Dataset = {
  dir: string;
  known: Array<{ name: string; enroll: string[]; probes: string[] }>;
  strangers: string[];
};

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** File-name order, with numbers compared as numbers (2.png before 10.png; zero-padded names are unaffected). */
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

async function imagesIn(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => IMAGE_EXT.test(f))
    .sort(byName)
    .map((f) => path.join(dir, f));
}

async function people(dir: string): Promise<Array<{ name: string; files: string[] }>> {
  // stat (not Dirent.isDirectory) so that symbolic links to person folders count too.
  const entries = await readdir(dir);
  const names = (await Promise.all(entries.map(async (n) => ((await isDir(path.join(dir, n))) ? n : null))))
    .filter((n): n is string => n !== null)
    .sort(byName);
  return Promise.all(names.map(async (name) => ({ name, files: await imagesIn(path.join(dir, name)) })));
}

export async function loadDataset(dir: string, enroll: number): Promise<Dataset> {
  if (!Number.isInteger(enroll) || enroll < 1)
    throw new DatasetError(`--enroll must be a whole number ≥ 1 (got ${enroll})`);
  if (!(await isDir(dir))) throw new DatasetError(`Dataset folder not found: ${dir}`);
  let knownDir = path.join(dir, 'known');
  if (!(await isDir(knownDir))) {
    // A plain folder of person folders (ORL's s1…s40): everyone is known, there are no strangers.
    if ((await people(dir)).some((p) => p.files.length > 0)) knownDir = dir;
    else
      throw new DatasetError(
        `${dir} has no known/ folder. Expected ${dir}/known/<Name>/*.jpg (one folder per person) and optionally ${dir}/strangers/<Name>/*.jpg, or ${dir}/<Name>/*.jpg without strangers`,
      );
  }
  const known = (await people(knownDir))
    .filter((p) => p.files.length > 0)
    .map((p) => ({ name: p.name, enroll: p.files.slice(0, enroll), probes: p.files.slice(enroll) }));
  if (known.length === 0) throw new DatasetError(`${knownDir} has no person folders with JPEG/PNG/WebP photos`);
  const strangersDir = path.join(dir, 'strangers');
  const strangers =
    knownDir !== dir && (await isDir(strangersDir)) ? (await people(strangersDir)).flatMap((p) => p.files) : [];
  return { dir, known, strangers };
}

/**
 * One probe's outcome: the best identity and its score, or null when no face was found. With `--fuse`,
 * `sightings` says how many were simulated; `faceWidths` holds the detector's box width of every face
 * the probe's score came from (one per sighting that had a face).
 */
export type ProbeResult = {
  truth: string | null;
  best: { identity: string; score: number } | null;
  ms: number;
  sightings?: number;
  faceWidths?: number[];
  /** The bar this probe must clear at the operating point, when not the threshold (a fused probe's, by its face width). */
  bar?: number;
};

export type OperatingPoint = { threshold: number; genuine_accept: number };

export type EvaluationReport = {
  dataset: string;
  matcher: string;
  model: string;
  enroll_per_identity: number;
  identities: number;
  genuine_probes: number;
  stranger_probes: number;
  detection_failures: number;
  rank1: number;
  far_0_1pct: OperatingPoint;
  far_1pct: OperatingPoint;
  /** `threshold`, or with `fused_bars` each fused probe's bar by its faces' width (FUSED_THRESHOLDS) where higher. */
  operating: {
    threshold: number;
    genuine_accept: number;
    false_accept: number;
    wrong_identity: number;
    fused_bars?: boolean;
  };
  ms_per_probe: { p50: number; p95: number };
  machine: string;
  /** Added fields (older readers ignore them). The highest score any stranger reached (null without strangers). */
  highest_stranger: number | null;
  /** Detector box widths of the faces the probes were matched on: what `--probe-face-width` really gave. */
  probe_face_px: { p10: number; p50: number; p90: number } | null;
  /** Sightings fused per probe (`--fuse N`), null for one plain frame per probe. */
  fuse: number | null;
  /** With `--fuse`: sightings in which no face was found (a probe fails only when all of them do). */
  sightings_without_face: number | null;
};

/**
 * Threshold at which at most `far` of the strangers score above it (accept = score > threshold):
 * the (⌊far·S⌋+1)-th highest stranger score, S counting strangers without a face too. When the
 * budget covers every stranger that had a face, any threshold below the lowest of them will do.
 */
export function thresholdAtFar(strangerScores: number[], strangerCount: number, far: number): number {
  const allowed = Math.floor(far * strangerCount);
  const sorted = [...strangerScores].sort((a, b) => b - a);
  if (allowed < sorted.length) return sorted[allowed];
  return sorted.length > 0 ? sorted[sorted.length - 1] - 1e-6 : 0;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}-${os.arch()}`;
}

export function summarize(
  results: ProbeResult[],
  meta: {
    dataset: string;
    matcher: string;
    model: string;
    enroll: number;
    identities: number;
    threshold: number;
    fuse?: number;
  },
): EvaluationReport {
  const genuine = results.filter((r) => r.truth !== null);
  const strangers = results.filter((r) => r.truth === null);
  const G = genuine.length || 1;
  const S = strangers.length;
  const strangerScores = strangers.flatMap((r) => (r.best ? [r.best.score] : []));
  const accepted = (t: number) =>
    genuine.filter((r) => r.best && r.best.identity === r.truth && r.best.score > t).length / G;
  const point = (far: number): OperatingPoint => {
    const threshold = S > 0 ? thresholdAtFar(strangerScores, S, far) : meta.threshold;
    return { threshold, genuine_accept: accepted(threshold) };
  };
  const t = meta.threshold;
  const bar = (r: ProbeResult) => r.bar ?? t;
  const faceWidths = results.flatMap((r) => r.faceWidths ?? []);
  const pick = (p: number) => percentile(faceWidths, p);
  return {
    dataset: meta.dataset,
    matcher: meta.matcher,
    model: meta.model,
    enroll_per_identity: meta.enroll,
    identities: meta.identities,
    genuine_probes: genuine.length,
    stranger_probes: S,
    detection_failures: results.filter((r) => !r.best).length,
    rank1: genuine.filter((r) => r.best?.identity === r.truth).length / G,
    far_0_1pct: point(0.001),
    far_1pct: point(0.01),
    operating: {
      threshold: t,
      genuine_accept: genuine.filter((r) => r.best && r.best.identity === r.truth && r.best.score > bar(r)).length / G,
      false_accept: S > 0 ? strangers.filter((r) => r.best && r.best.score > bar(r)).length / S : 0,
      wrong_identity: genuine.filter((r) => r.best && r.best.identity !== r.truth && r.best.score > bar(r)).length / G,
      ...(results.some((r) => r.bar !== undefined) ? { fused_bars: true } : {}),
    },
    ms_per_probe: {
      p50: percentile(
        results.map((r) => r.ms),
        0.5,
      ),
      p95: percentile(
        results.map((r) => r.ms),
        0.95,
      ),
    },
    machine: machineDescription(),
    highest_stranger: strangerScores.length > 0 ? Math.max(...strangerScores) : null,
    probe_face_px: faceWidths.length > 0 ? { p10: pick(0.1), p50: pick(0.5), p90: pick(0.9) } : null,
    fuse: meta.fuse ?? null,
    sightings_without_face:
      meta.fuse === undefined
        ? null
        : results.reduce((n, r) => n + (r.sightings ?? 0) - (r.faceWidths?.length ?? 0), 0),
  };
}
