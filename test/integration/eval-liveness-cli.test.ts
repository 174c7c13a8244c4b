/**
 * eval:liveness end to end: a child process on real NUAA training frames (symlinked into a temp
 * folder from ../shared/liveness; nothing is copied into the repository). No database needed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipUnlessCi } from '@/test/helpers/needs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NUAA = path.resolve(REPO, '../shared/liveness/nuaa-train');
const hasNuaa = existsSync(path.join(NUAA, 'live')) && existsSync(path.join(NUAA, 'spoof'));
skipUnlessCi(!hasNuaa, `[eval-liveness-cli.test] ${NUAA} is absent: the liveness evaluation on real frames is skipped`);

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/eval-liveness.ts', ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const noStack = (stderr: string) => expect(stderr, stderr).not.toMatch(/^\s+at .+[:(]/m);
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'eval-liveness-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('eval:liveness usage errors', () => {
  it('without --dataset, or with a folder that is not there: a message and a non-zero exit', async () => {
    for (const args of [[], ['--dataset', path.join(tmp, 'nope')], ['--dataset', tmp, '--window', '0']]) {
      const r = await run(args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/--dataset is required|is not a folder|--window must be/);
      expect(r.stderr).toContain('Usage:');
      noStack(r.stderr);
    }
  });

  it('a folder without spoof/, or with no JPEGs in it, says what layout it expected', async () => {
    const dir = path.join(tmp, 'half');
    await mkdir(path.join(dir, 'live', 'a'), { recursive: true });
    await writeFile(path.join(dir, 'live', 'a', 'notes.txt'), 'not an image');
    let r = await run(['--dataset', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('holds no .jpg files');
    await mkdir(path.join(dir, 'live', 'b'));
    // Any JPEG will do: the layout is checked before a frame is read, so this runs without ../shared too.
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    await writeFile(path.join(dir, 'live', 'b', 'x_1.jpg'), jpeg);
    r = await run(['--dataset', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('has no spoof/ folder');
    noStack(r.stderr);
  });
});

describe.skipIf(!hasNuaa)('eval:liveness on real NUAA frames', () => {
  it('follows its JSON contract and separates live people from printed photos at the shipped threshold', async () => {
    const dir = path.join(tmp, 'nuaa');
    // Two subjects, 12 frames each of live and spoof, linked frame by frame.
    for (const label of ['live', 'spoof']) {
      for (const subject of ['0003', '0007']) {
        const from = path.join(NUAA, label, subject);
        const files = (await readdir(from)).sort().slice(0, 12);
        await mkdir(path.join(dir, label, subject), { recursive: true });
        for (const f of files) await symlink(path.join(from, f), path.join(dir, label, subject, f));
      }
    }
    // A JPEG that is not one: left out with a message, not a crash.
    await writeFile(path.join(dir, 'live', '0003', 'broken_1.jpg'), 'garbage');
    const json = path.join(tmp, 'liveness.json');
    const r = await run(['--dataset', dir, '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('broken_1.jpg');
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(Object.keys(report).sort()).toEqual(
      ['apcer', 'bpcer', 'eer', 'live', 'model', 'ms_per_face', 'no_face', 'spoof', 'threshold'].sort(),
    );
    expect(Object.keys(report.ms_per_face).sort()).toEqual(['p50', 'p95']);
    expect(report).toMatchObject({
      live: 24,
      spoof: 24,
      no_face: 0,
      threshold: 0.5,
      model: 'faceplugin-fr_liveness@1.0.3',
    });
    expect(report.apcer).toBeLessThanOrEqual(0.05);
    expect(report.bpcer).toBeLessThanOrEqual(0.05);
    expect(report.eer).toBeLessThanOrEqual(0.05);
    expect(report.ms_per_face.p50).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/tracks \(windows of 10 frames/);
  });
});
