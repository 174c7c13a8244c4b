/**
 * How well lit a face is in a camera frame: the mean luma (BT.601, 0–255) inside its box. Cheap (the
 * box's pixels only) and measured on every embedded sighting, so a track's fused template can give
 * less weight to the sightings taken in the dark (lib/face/fusion.ts, sightingWeight).
 */
import type { FaceBox, RgbImage } from './types';

export function faceBrightness(image: RgbImage, box: FaceBox): number {
  const x0 = Math.max(0, Math.floor(box.x + box.width * 0.2)),
    x1 = Math.min(image.width, Math.ceil(box.x + box.width * 0.8));
  const y0 = Math.max(0, Math.floor(box.y + box.height * 0.2)),
    y1 = Math.min(image.height, Math.ceil(box.y + box.height * 0.8));
  let sum = 0,
    n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0, p = (y * image.width + x0) * 3; x < x1; x++, p += 3) {
      sum += 0.299 * image.data[p]! + 0.587 * image.data[p + 1]! + 0.114 * image.data[p + 2]!;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}
