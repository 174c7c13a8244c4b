/**
 * Binary layout of a keypoint face template (`FaceTemplate.data` for the `keypoints-*` models).
 *
 * All numbers little-endian.
 *   header (12 bytes)
 *     0  4  magic "FKPT"
 *     4  1  format version (1)
 *     5  1  detector: 1 = AKAZE (MLDB, 61-byte binary descriptors); 2 was ORB, retired
 *     6  2  chip size in pixels (keypoint coordinates are in that aligned chip)
 *     8  2  keypoint count N
 *    10  2  descriptor bytes per keypoint D
 *   then N records of (16 + D) bytes
 *     x, y, size, angle  float32 ×4
 *     descriptor         D bytes
 */

export const KEYPOINT_TEMPLATE_MAGIC = 'FKPT';
export const KEYPOINT_TEMPLATE_VERSION = 1;
const HEADER_BYTES = 12;
const RECORD_FIXED_BYTES = 16;
export const MAX_TEMPLATE_KEYPOINTS = 65535;

export type KeypointDetectorName = 'akaze';

const DETECTOR_CODES: Record<KeypointDetectorName, number> = { akaze: 1 };

export type KeypointTemplate = {
  detector: KeypointDetectorName;
  chipSize: number;
  count: number;
  descriptorBytes: number;
  /** Keypoint positions in chip pixels, `count` each. */
  x: Float32Array;
  y: Float32Array;
  size: Float32Array;
  angle: Float32Array;
  /** `count × descriptorBytes` descriptor bytes, row-major (one row per keypoint). */
  descriptors: Uint8Array;
};

export class KeypointTemplateError extends Error {
  constructor(message: string) {
    super(`Malformed keypoint template: ${message}`);
    this.name = 'KeypointTemplateError';
  }
}

export function serializeKeypointTemplate(t: KeypointTemplate): Uint8Array {
  const { count, descriptorBytes: d } = t;
  if (!Number.isInteger(count) || count < 0 || count > MAX_TEMPLATE_KEYPOINTS)
    throw new RangeError(`keypoint count ${count} out of range`);
  if (!Number.isInteger(d) || d < 1 || d > 65535) throw new RangeError(`descriptor size ${d} out of range`);
  if (!Number.isInteger(t.chipSize) || t.chipSize < 1 || t.chipSize > 65535)
    throw new RangeError(`chip size ${t.chipSize} out of range`);
  if (
    t.x.length !== count ||
    t.y.length !== count ||
    t.size.length !== count ||
    t.angle.length !== count ||
    t.descriptors.length !== count * d
  ) {
    throw new RangeError('keypoint arrays do not match the keypoint count');
  }
  const out = new Uint8Array(HEADER_BYTES + count * (RECORD_FIXED_BYTES + d));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = KEYPOINT_TEMPLATE_MAGIC.charCodeAt(i);
  out[4] = KEYPOINT_TEMPLATE_VERSION;
  out[5] = DETECTOR_CODES[t.detector];
  view.setUint16(6, t.chipSize, true);
  view.setUint16(8, count, true);
  view.setUint16(10, d, true);
  let o = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    view.setFloat32(o, t.x[i], true);
    view.setFloat32(o + 4, t.y[i], true);
    view.setFloat32(o + 8, t.size[i], true);
    view.setFloat32(o + 12, t.angle[i], true);
    out.set(t.descriptors.subarray(i * d, (i + 1) * d), o + RECORD_FIXED_BYTES);
    o += RECORD_FIXED_BYTES + d;
  }
  return out;
}

/** Parses and validates template bytes; throws `KeypointTemplateError` with the reason when they are not a valid template. */
export function parseKeypointTemplate(data: Uint8Array): KeypointTemplate {
  if (!(data instanceof Uint8Array)) throw new KeypointTemplateError('expected a Uint8Array');
  if (data.length < HEADER_BYTES)
    throw new KeypointTemplateError(`${data.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  for (let i = 0; i < 4; i++) {
    if (data[i] !== KEYPOINT_TEMPLATE_MAGIC.charCodeAt(i))
      throw new KeypointTemplateError('bad magic (not an FKPT keypoint template)');
  }
  if (data[4] !== KEYPOINT_TEMPLATE_VERSION)
    throw new KeypointTemplateError(
      `unsupported format version ${data[4]} (this code reads ${KEYPOINT_TEMPLATE_VERSION})`,
    );
  const detector = (Object.keys(DETECTOR_CODES) as KeypointDetectorName[]).find((k) => DETECTOR_CODES[k] === data[5]);
  if (!detector) throw new KeypointTemplateError(`unknown detector code ${data[5]}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const chipSize = view.getUint16(6, true);
  const count = view.getUint16(8, true);
  const d = view.getUint16(10, true);
  if (chipSize === 0) throw new KeypointTemplateError('chip size is 0');
  if (d === 0) throw new KeypointTemplateError('descriptor size is 0');
  const expected = HEADER_BYTES + count * (RECORD_FIXED_BYTES + d);
  if (data.length !== expected) {
    throw new KeypointTemplateError(
      `${data.length} bytes, but ${count} keypoints of ${d}-byte descriptors need exactly ${expected}`,
    );
  }
  const x = new Float32Array(count),
    y = new Float32Array(count),
    size = new Float32Array(count),
    angle = new Float32Array(count);
  const descriptors = new Uint8Array(count * d);
  let o = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    x[i] = view.getFloat32(o, true);
    y[i] = view.getFloat32(o + 4, true);
    size[i] = view.getFloat32(o + 8, true);
    angle[i] = view.getFloat32(o + 12, true);
    if (!(x[i] >= 0 && x[i] <= chipSize && y[i] >= 0 && y[i] <= chipSize)) {
      throw new KeypointTemplateError(
        `keypoint ${i} at (${x[i]}, ${y[i]}) lies outside the ${chipSize}×${chipSize} chip`,
      );
    }
    if (!Number.isFinite(size[i]) || !Number.isFinite(angle[i]))
      throw new KeypointTemplateError(`keypoint ${i} has a non-finite size or angle`);
    descriptors.set(data.subarray(o + RECORD_FIXED_BYTES, o + RECORD_FIXED_BYTES + d), i * d);
    o += RECORD_FIXED_BYTES + d;
  }
  return { detector, chipSize, count, descriptorBytes: d, x, y, size, angle, descriptors };
}
