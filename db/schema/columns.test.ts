import { describe, expect, it } from 'vitest';
import { bufferToFloat32, float32ToBuffer } from './columns';

describe('embedding codec', () => {
  it('round-trips Float32 little-endian', () => {
    const values = new Float32Array([0, 1.5, -2.25, 3.4028234663852886e38, 1e-7]);
    const buf = float32ToBuffer(values);
    expect(buf.byteLength).toBe(20);
    expect(buf.readFloatLE(4)).toBe(1.5);
    expect(Array.from(bufferToFloat32(buf))).toEqual(Array.from(values));
  });

  it('reads from an offset view (Buffer slices share memory)', () => {
    const big = Buffer.concat([Buffer.from([9, 9, 9]), float32ToBuffer([4, 5])]);
    expect(Array.from(bufferToFloat32(big.subarray(3)))).toEqual([4, 5]);
  });

  it('rejects a length that is not a multiple of 4', () => {
    expect(() => bufferToFloat32(Buffer.alloc(6))).toThrow(/multiple of 4/);
  });
});
