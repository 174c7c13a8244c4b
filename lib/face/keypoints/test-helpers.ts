/** Test fixtures of the keypoint baseline: ORL faces from ../shared/faces/orl with approximate fixed landmarks. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { DetectedFace, RgbImage } from '../types';

export const ORL_DIR = path.resolve(process.cwd(), '../shared/faces/orl');
export const HAVE_ORL = existsSync(path.join(ORL_DIR, 's1', '1.png'));
export const ORL_MISSING = `ORL faces not found at ${ORL_DIR} (expected s1..s40/1..10.png): real-face keypoint tests skipped`;

/**
 * ORL photos are 92×112, head only, roughly frontal: fixed approximate landmarks (eyes, nose tip,
 * mouth corners) stand in for the detector, which is good enough for a baseline test.
 */
export const ORL_FACE: DetectedFace = {
  box: { x: 0, y: 0, width: 92, height: 112 },
  score: 1,
  landmarks: [
    [30, 50],
    [62, 50],
    [46, 68],
    [34, 88],
    [58, 88],
  ],
  pose: { roll: 0, yaw: 0 },
};

export async function loadOrl(subject: number, photo: number): Promise<RgbImage> {
  const file = path.join(ORL_DIR, `s${subject}`, `${photo}.png`);
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}
