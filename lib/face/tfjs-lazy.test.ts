/**
 * TensorFlow.js is loaded only by an engine that runs a tfjs model: class mood's `emotion`, or a
 * legacy embedder (fused / mobileface / faceres). An engine with the default settings — the web
 * process's, and each camera worker thread's — never loads it (issue 27: ~80 MB RSS per process).
 * Each case runs in a fresh node process, so the modules another test loaded cannot hide or fake it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Loads a FaceEngine with `options` in a new process, runs `then` on it, and lists the @tensorflow files node loaded. */
function tfjsFilesAfter(options: object, then = ''): string[] {
  const script = `(async () => {
    const { FaceEngine } = await import('./lib/face/engine.ts');
    const engine = await FaceEngine.load(${JSON.stringify(options)});
    const image = { data: new Uint8Array(96 * 96 * 3).fill(128), width: 96, height: 96 };
    await engine.analyze(image);
    ${then}
    const files = Object.keys(require.cache).filter((f) => f.includes('node_modules/@tensorflow/'));
    process.stdout.write(JSON.stringify(files));
  })().catch((err) => { console.error(err); process.exit(1); });`;
  const r = spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), ['--conditions=react-server', '-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as string[];
}

describe('TensorFlow.js is loaded only where a tfjs model runs', { timeout: 120_000 }, () => {
  it('an engine with the default settings (web process, camera worker thread) does not load it', () => {
    expect(tfjsFilesAfter({})).toEqual([]);
  });

  it('class mood loads it on first use', () => {
    const face = { box: { x: 8, y: 8, width: 80, height: 80 }, score: 1, landmarks: [] };
    const files = tfjsFilesAfter({}, `await engine.mood(image, ${JSON.stringify(face)});`);
    expect(files.some((f) => f.includes('@tensorflow/tfjs-core/'))).toBe(true);
  });

  it('a legacy tfjs embedder loads it with the engine', () => {
    const files = tfjsFilesAfter({ legacyEmbedders: ['mobileface'] });
    expect(files.some((f) => f.includes('@tensorflow/tfjs-converter/'))).toBe(true);
  });
});
