import { describe, expect, it } from 'vitest';
import { l2normalize } from '../embedding-bytes';
import { int8Scores, quantizeRows } from './int8-scores';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

describe('int8 gallery scores on ONNX Runtime', () => {
  it('agree with exact float dot products of 512-d unit vectors to within 0.01', async () => {
    const next = rng(7),
      D = 512,
      N = 2000;
    const flat = new Float32Array(N * D);
    for (let r = 0; r < N; r++) flat.set(l2normalize(Float32Array.from({ length: D }, next)), r * D);
    // A probe close to row 42, so scores span from ~0 to ~0.9.
    const probe = l2normalize(flat.slice(42 * D, 43 * D).map((x) => x + 0.02 * next()));
    const scores = await int8Scores(quantizeRows(flat, D), probe);
    let worst = 0;
    for (let r = 0; r < N; r++) {
      let exact = 0;
      for (let i = 0; i < D; i++) exact += flat[r * D + i] * probe[i];
      worst = Math.max(worst, Math.abs(exact - scores[r]));
    }
    expect(scores).toHaveLength(N);
    expect(scores[42]).toBeGreaterThan(0.8);
    expect(worst).toBeLessThan(0.01);
  });

  it('keeps the sign and scale of each row (rows of different magnitude, a zero row)', async () => {
    const D = 8;
    const flat = Float32Array.from([
      ...[1, 0, 0, 0, 0, 0, 0, 0],
      ...[-0.5, 0.5, 0, 0, 0, 0, 0, 0],
      ...new Array(D).fill(0),
    ]);
    const scores = await int8Scores(quantizeRows(flat, D), Float32Array.from([0.6, 0.8, 0, 0, 0, 0, 0, 0]));
    expect(scores[0]).toBeCloseTo(0.6, 2);
    expect(scores[1]).toBeCloseTo(0.1, 2);
    expect(scores[2]).toBe(0);
  });
});
