import { describe, expect, it } from 'vitest';
import {
  KeypointTemplateError,
  parseKeypointTemplate,
  serializeKeypointTemplate,
  type KeypointTemplate,
} from './keypoint-embedder';

function sample(count = 3, d = 61): KeypointTemplate {
  const t: KeypointTemplate = {
    detector: 'akaze',
    chipSize: 160,
    count,
    descriptorBytes: d,
    x: new Float32Array(count),
    y: new Float32Array(count),
    size: new Float32Array(count),
    angle: new Float32Array(count),
    descriptors: new Uint8Array(count * d),
  };
  for (let i = 0; i < count; i++) {
    t.x[i] = 10.25 + i * 30;
    t.y[i] = 159.5 - i * 40;
    t.size[i] = 4.8 + i;
    t.angle[i] = i * 91.5;
  }
  for (let i = 0; i < t.descriptors.length; i++) t.descriptors[i] = (i * 37 + 11) & 0xff;
  return t;
}

describe('keypoint template format', () => {
  it('round-trips every field', () => {
    const t = sample();
    const bytes = serializeKeypointTemplate(t);
    expect(bytes.length).toBe(12 + 3 * (16 + 61));
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('FKPT');
    expect(parseKeypointTemplate(bytes)).toEqual(t);
  });

  it('round-trips an empty template, and refuses the retired ORB detector code', () => {
    const retired = serializeKeypointTemplate(sample(2, 32));
    retired[5] = 2;
    expect(() => parseKeypointTemplate(retired)).toThrow(KeypointTemplateError);
    const empty = sample(0);
    expect(parseKeypointTemplate(serializeKeypointTemplate(empty))).toEqual(empty);
  });

  it('reads a template inside a larger buffer (non-zero byteOffset)', () => {
    const bytes = serializeKeypointTemplate(sample());
    const big = new Uint8Array(bytes.length + 7);
    big.set(bytes, 5);
    expect(parseKeypointTemplate(big.subarray(5, 5 + bytes.length))).toEqual(sample());
  });

  it('refuses to serialize inconsistent arrays', () => {
    expect(() => serializeKeypointTemplate({ ...sample(), x: new Float32Array(2) })).toThrow(RangeError);
    expect(() => serializeKeypointTemplate({ ...sample(), descriptors: new Uint8Array(5) })).toThrow(RangeError);
  });

  describe('rejects malformed data with a clear error', () => {
    const good = serializeKeypointTemplate(sample());
    const mutate = (f: (b: Uint8Array, v: DataView) => void): Uint8Array => {
      const b = good.slice();
      f(b, new DataView(b.buffer));
      return b;
    };
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['empty', new Uint8Array(0), /shorter than the 12-byte header/],
      ['truncated header', good.slice(0, 8), /shorter than the 12-byte header/],
      ['bad magic', mutate((b) => (b[0] = 0x58)), /bad magic/],
      ['a float32 embedding', new Uint8Array(new Float32Array(512).fill(0.1).buffer), /bad magic/],
      ['future version', mutate((b) => (b[4] = 2)), /unsupported format version 2/],
      ['unknown detector', mutate((b) => (b[5] = 9)), /unknown detector code 9/],
      ['zero chip size', mutate((_b, v) => v.setUint16(6, 0, true)), /chip size is 0/],
      ['zero descriptor size', mutate((_b, v) => v.setUint16(10, 0, true)), /descriptor size is 0/],
      ['truncated body', good.slice(0, good.length - 1), /need exactly/],
      ['trailing bytes', new Uint8Array([...good, 0]), /need exactly/],
      ['count too large', mutate((_b, v) => v.setUint16(8, 4, true)), /4 keypoints .* need exactly/],
      ['keypoint outside the chip', mutate((_b, v) => v.setFloat32(12, 400, true)), /outside the 160×160 chip/],
      ['NaN coordinate', mutate((_b, v) => v.setFloat32(16, NaN, true)), /outside the 160×160 chip/],
      ['infinite size', mutate((_b, v) => v.setFloat32(20, Infinity, true)), /non-finite size or angle/],
    ];
    it.each(cases)('%s', (_name, bytes, message) => {
      expect(() => parseKeypointTemplate(bytes)).toThrow(KeypointTemplateError);
      expect(() => parseKeypointTemplate(bytes)).toThrow(message);
    });
  });
});
