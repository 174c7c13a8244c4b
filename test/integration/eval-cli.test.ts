/**
 * The evaluation CLI end to end: a child process on a tiny LFW dataset built in a temp folder
 * (symlinks to ../shared/faces; nothing is copied into the repository). No database needed.
 */
import { DEFAULT_EMBEDDING_THRESHOLD } from '@/lib/face/config';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipUnlessCi } from '@/test/helpers/needs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const LFW = path.resolve(REPO, '../shared/faces/lfw-dev');
const hasFaces = existsSync(path.join(LFW, 'known')) && existsSync(path.join(LFW, 'strangers'));
skipUnlessCi(!hasFaces, `[eval-cli.test] ${LFW} is absent: the evaluation CLI run on real photos is skipped`);

type Run = { code: number | null; stdout: string; stderr: string };

function evalCli(args: string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/eval.ts', ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: timeoutMs,
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Links each photo (not the folder: the CLI lists only real sub-folders) of the first `perPerson` files. */
async function linkPeople(from: string, to: string, names: string[], perPerson: number): Promise<void> {
  for (const name of names) {
    await mkdir(path.join(to, name), { recursive: true });
    const files = (await readdir(path.join(from, name))).sort().slice(0, perPerson);
    for (const f of files) await symlink(path.join(from, name, f), path.join(to, name, f));
  }
}

const noStack = (stderr: string) => expect(stderr, stderr).not.toMatch(/^\s+at .+[:(]/m);

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'eval-cli-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('scripts/eval.ts: usage errors', () => {
  it('without --dataset: exits non-zero with the usage on stderr', async () => {
    const r = await evalCli([]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--dataset is required');
    expect(r.stderr).toContain('Usage:');
    noStack(r.stderr);
  });

  it('an unknown --embedder or --detector: exits non-zero and lists the choices', async () => {
    for (const [flag, value, choices] of [
      ['--embedder', 'facenet', 'arcface, fused'],
      ['--detector', 'yolo', 'ultraface'],
    ]) {
      const r = await evalCli(['--dataset', tmp, flag, value]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`${flag} must be one of ${choices}`);
      expect(r.stderr).toContain(`"${value}"`);
      noStack(r.stderr);
    }
  });

  it('a --fuse that is not a whole number of sightings ≥ 1, or with keypoints: exit 2, says what it needs', async () => {
    for (const value of ['0', 'x']) {
      const r = await evalCli(['--dataset', tmp, '--fuse', value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--fuse must be a whole number of sightings ≥ 1 (got "${value}")`);
      expect(r.stderr).toContain('[--fuse N]');
      noStack(r.stderr);
    }
    const keypoints = await evalCli(['--dataset', tmp, '--fuse', '4', '--matcher', 'keypoints']);
    expect(keypoints.code).toBe(2);
    expect(keypoints.stderr).toContain('--fuse needs --matcher embedding');
  }, 120_000);

  it('a folder without known/: exits non-zero and says what layout it expected', async () => {
    const dir = path.join(tmp, 'flat');
    await mkdir(dir, { recursive: true });
    const r = await evalCli(['--dataset', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('has no known/ folder');
    expect(r.stderr).toContain(`${dir}/known/<Name>/*.jpg`);
    noStack(r.stderr);
  });

  it('a missing folder and a bad --matcher: non-zero exit, clear message', async () => {
    const missing = await evalCli(['--dataset', path.join(tmp, 'nope')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Dataset folder not found');
    noStack(missing.stderr);
    const matcher = await evalCli(['--dataset', tmp, '--matcher', 'svm']);
    expect(matcher.code).not.toBe(0);
    expect(matcher.stderr).toContain('--matcher must be embedding or keypoints');
    noStack(matcher.stderr);
  });
});

describe.skipIf(!hasFaces)('scripts/eval.ts on 4 LFW identities + 4 strangers', { timeout: 150_000 }, () => {
  const KNOWN = ['Ahmed_Chalabi', 'Ai_Sugiyama', 'Al_Gore', 'Al_Sharpton'];
  let dataset: string;
  let run: Run;
  let report: Record<string, unknown>;

  beforeAll(async () => {
    dataset = path.join(tmp, 'lfw-tiny');
    await linkPeople(path.join(LFW, 'known'), path.join(dataset, 'known'), KNOWN, 5);
    const strangers = (await readdir(path.join(LFW, 'strangers'))).sort().slice(0, 4);
    await linkPeople(path.join(LFW, 'strangers'), path.join(dataset, 'strangers'), strangers, 1);
    run = await evalCli(['--dataset', dataset, '--json', path.join(tmp, 'out.json')]);
    if (run.code === 0)
      report = JSON.parse(await readFile(path.join(tmp, 'out.json'), 'utf8')) as Record<string, unknown>;
  }, 150_000);

  it('an --exclude that is not a photo of the dataset, or a --probe-face-width below 8: non-zero exit, clear message', async () => {
    const ex = await evalCli(['--dataset', dataset, '--exclude', 'strangers/Nobody/Nobody_0001.jpg']);
    expect(ex.code).not.toBe(0);
    expect(ex.stderr).toContain('--exclude: 1 of the given files are not photos of');
    noStack(ex.stderr);
    const small = await evalCli(['--dataset', dataset, '--probe-face-width', '4']);
    expect(small.code).not.toBe(0);
    expect(small.stderr).toContain('--probe-face-width must be at least 8 pixels');
    noStack(small.stderr);
  });

  it('exits 0 and prints the summary', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/rank-1\s+\d/);
    expect(run.stdout).toContain('4 (enroll 3 photos each)');
  });

  it('writes JSON with every key of the contract, plus the added ones', () => {
    expect(Object.keys(report).sort()).toEqual(
      [
        'highest_stranger',
        'probe_face_px',
        'fuse',
        'sightings_without_face',
        'dataset',
        'matcher',
        'model',
        'enroll_per_identity',
        'identities',
        'genuine_probes',
        'stranger_probes',
        'detection_failures',
        'rank1',
        'far_0_1pct',
        'far_1pct',
        'operating',
        'ms_per_probe',
        'machine',
      ].sort(),
    );
    expect(Object.keys(report.far_0_1pct as object).sort()).toEqual(['genuine_accept', 'threshold']);
    expect(Object.keys(report.far_1pct as object).sort()).toEqual(['genuine_accept', 'threshold']);
    expect(Object.keys(report.operating as object).sort()).toEqual([
      'false_accept',
      'genuine_accept',
      'threshold',
      'wrong_identity',
    ]);
    expect(Object.keys(report.ms_per_probe as object).sort()).toEqual(['p50', 'p95']);
    // one plain frame per probe, at the photos' own size
    expect(report).toMatchObject({ fuse: null, sightings_without_face: null });
  });

  it('counts the dataset as the protocol says and keeps every rate in 0..1', () => {
    expect(report).toMatchObject({
      dataset,
      matcher: 'embedding',
      enroll_per_identity: 3,
      identities: 4,
      genuine_probes: 8,
      stranger_probes: 4,
    });
    expect(report.model).toMatch(/^arcface-fr_feature@/);
    expect(report.machine).toMatch(/cores/);
    const far0 = report.far_0_1pct as { threshold: number; genuine_accept: number };
    const far1 = report.far_1pct as { threshold: number; genuine_accept: number };
    const op = report.operating as {
      threshold: number;
      genuine_accept: number;
      false_accept: number;
      wrong_identity: number;
    };
    const rates = [
      report.rank1,
      far0.genuine_accept,
      far1.genuine_accept,
      op.genuine_accept,
      op.false_accept,
      op.wrong_identity,
    ];
    for (const r of rates) {
      expect(typeof r).toBe('number');
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(1);
    }
    // Only finite numbers survive JSON: a threshold of ±Infinity would be written as null.
    for (const t of [far0.threshold, far1.threshold, op.threshold]) expect(Number.isFinite(t)).toBe(true);
    expect(op.threshold).toBe(DEFAULT_EMBEDDING_THRESHOLD);
    expect(Number.isInteger(report.detection_failures)).toBe(true);
    // measured: rank-1 8/8, no detection failures, p50 ≈ 25 ms on a 2-core EPYC
    expect(report.rank1).toBeGreaterThanOrEqual(0.75);
    expect(report.detection_failures).toBeLessThanOrEqual(2);
    expect(op.genuine_accept).toBeLessThanOrEqual(report.rank1 as number);
    const ms = report.ms_per_probe as { p50: number; p95: number };
    expect(ms.p50).toBeGreaterThan(0);
    expect(ms.p95).toBeGreaterThanOrEqual(ms.p50);
  });

  // One CLI run of 12 probes × 3 sightings: ~20 s on a quiet 2-core VM, several times that on a busy one.
  it('--fuse 3 at --probe-face-width 30: each probe is matched on 3 simulated camera sightings, strangers too', async () => {
    const json = path.join(tmp, 'fused.json'),
      details = path.join(tmp, 'fused.jsonl');
    const r = await evalCli(
      ['--dataset', dataset, '--probe-face-width', '30', '--fuse', '3', '--json', json, '--details', details],
      290_000,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fusion\s+3 simulated camera sightings per probe/);
    const fused = JSON.parse(await readFile(json, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(fused).sort()).toEqual(Object.keys(report).sort());
    expect(fused).toMatchObject({ fuse: 3, identities: 4, genuine_probes: 8, stranger_probes: 4 });
    // measured: 0 of 36 sightings without a face, faces p50 ≈ 30 px, rank-1 8/8, highest stranger < 0.25
    expect(fused.sightings_without_face as number).toBeLessThanOrEqual(4);
    const px = fused.probe_face_px as { p10: number; p50: number; p90: number };
    expect(px.p50).toBeGreaterThan(26);
    expect(px.p50).toBeLessThan(34);
    expect(fused.rank1 as number).toBeGreaterThanOrEqual(0.75);
    expect(fused.highest_stranger as number).toBeLessThan((fused.operating as { threshold: number }).threshold);
    const lines = (await readFile(details, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { truth: string | null; faces: number; runner_up: number | null });
    expect(lines).toHaveLength(12);
    for (const l of lines) {
      expect(l.faces).toBeLessThanOrEqual(3);
      expect(typeof l.runner_up).toBe('number');
    }
    expect(lines.filter((l) => l.truth === null)).toHaveLength(4);
  }, 300_000);
});
