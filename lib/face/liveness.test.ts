import { describe, expect, it } from 'vitest';
import { liveProbability, livenessCrop, livenessInput } from './liveness';

describe('liveness preprocessing', () => {
  it('scales the box 2.7× about its centre and keeps it inside the frame', () => {
    expect(livenessCrop({ width: 640, height: 480 }, { x: 300, y: 200, width: 40, height: 40 })).toEqual({
      x: 266,
      y: 166,
      width: 108,
      height: 108,
    });
    // Near the left edge: shifted right, same size.
    expect(livenessCrop({ width: 640, height: 480 }, { x: 0, y: 200, width: 40, height: 40 }).x).toBe(0);
    // A face too big for 2.7×: the scale shrinks to what the frame holds.
    const big = livenessCrop({ width: 640, height: 480 }, { x: 200, y: 100, width: 200, height: 240 });
    expect(big.height).toBeCloseTo(479);
    expect(big.y).toBe(0);
  });

  it('feeds the model planar BGR in 0–255', () => {
    const data = new Uint8Array(64 * 64 * 3);
    for (let i = 0; i < data.length; i += 3) {
      data[i] = 200;
      data[i + 1] = 100;
      data[i + 2] = 10;
    }
    const input = livenessInput({ data, width: 64, height: 64 }, { x: 20, y: 20, width: 20, height: 20 });
    const n = 128 * 128;
    expect(input.length).toBe(3 * n);
    expect(input[0]).toBeCloseTo(10);
    expect(input[n]).toBeCloseTo(100);
    expect(input[2 * n + n - 1]).toBeCloseTo(200);
  });

  it('reads class 0 of the softmax as live', () => {
    expect(liveProbability([0, 0, 0])).toBeCloseTo(1 / 3);
    expect(liveProbability([10, 0, 0])).toBeGreaterThan(0.99);
    expect(liveProbability([0, 10, 0])).toBeLessThan(0.01);
  });
});
