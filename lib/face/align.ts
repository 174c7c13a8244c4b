/**
 * Landmark alignment: a similarity transform (rotation + uniform scale + shift) that puts the five
 * landmarks of a face onto the ArcFace/InsightFace 112×112 template, then a bilinear warp.
 * Every embedding model sees faces in the same pose and scale, whatever the camera gave us.
 */
import type { Point, RgbImage } from './types';

/** Canonical 5-point template of InsightFace (eyes, nose tip, mouth corners) for a 112×112 chip. */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** 2×3 affine matrix [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine = [number, number, number, number, number, number];

/** The template scaled to a `size`×`size` chip; `zoom` < 1 shows more context around the face. */
export function templateFor(size: number, zoom = 1): Point[] {
  return ARCFACE_TEMPLATE_112.map(([x, y]) => [
    ((x - 56) * zoom * size) / 112 + size / 2,
    ((y - 56) * zoom * size) / 112 + size / 2,
  ]);
}

/** Least-squares similarity transform mapping `src` onto `dst` (Umeyama, no reflection). */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = src.length;
  if (n < 2 || n !== dst.length) throw new Error('similarityTransform needs at least two matching point pairs');
  let mx = 0,
    my = 0,
    ux = 0,
    uy = 0;
  for (let i = 0; i < n; i++) {
    mx += src[i][0];
    my += src[i][1];
    ux += dst[i][0];
    uy += dst[i][1];
  }
  mx /= n;
  my /= n;
  ux /= n;
  uy /= n;
  let sxx = 0,
    a = 0,
    b = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i][0] - mx,
      y = src[i][1] - my,
      u = dst[i][0] - ux,
      v = dst[i][1] - uy;
    sxx += x * x + y * y;
    a += x * u + y * v;
    b += x * v - y * u;
  }
  if (sxx === 0) throw new Error('similarityTransform: source points coincide');
  a /= sxx;
  b /= sxx;
  return [a, -b, ux - (a * mx - b * my), b, a, uy - (b * mx + a * my)];
}

export function invertAffine([a, b, c, d, e, f]: Affine): Affine {
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error('invertAffine: matrix is singular');
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

export function applyAffine([a, b, c, d, e, f]: Affine, [x, y]: Point): Point {
  return [a * x + b * y + c, d * x + e * y + f];
}

/**
 * Samples `image` through the inverse of `toChip` into a `width`×`height` RGB chip (float 0..255,
 * interleaved). Pixels outside the image repeat the border, so a face at the edge keeps its colours,
 * unless `fill` is given: then they take that grey level (letterboxing).
 */
export function warpToChip(
  image: RgbImage,
  toChip: Affine,
  width: number,
  height: number,
  fill?: number,
): Float32Array {
  const [a, b, c, d, e, f] = invertAffine(toChip);
  const { data, width: w, height: h } = image;
  const out = new Float32Array(width * height * 3);
  const maxX = w - 1,
    maxY = h - 1;
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      if (fill !== undefined && (sx < -0.5 || sy < -0.5 || sx > maxX + 0.5 || sy > maxY + 0.5)) {
        out[o++] = fill;
        out[o++] = fill;
        out[o++] = fill;
        continue;
      }
      const x0f = Math.floor(sx),
        y0f = Math.floor(sy);
      const fx = sx - x0f,
        fy = sy - y0f;
      const x0 = x0f < 0 ? 0 : x0f > maxX ? maxX : x0f;
      const x1 = x0f + 1 < 0 ? 0 : x0f + 1 > maxX ? maxX : x0f + 1;
      const y0 = y0f < 0 ? 0 : y0f > maxY ? maxY : y0f;
      const y1 = y0f + 1 < 0 ? 0 : y0f + 1 > maxY ? maxY : y0f + 1;
      const i00 = (y0 * w + x0) * 3,
        i01 = (y0 * w + x1) * 3,
        i10 = (y1 * w + x0) * 3,
        i11 = (y1 * w + x1) * 3;
      const w00 = (1 - fx) * (1 - fy),
        w01 = fx * (1 - fy),
        w10 = (1 - fx) * fy,
        w11 = fx * fy;
      out[o++] = data[i00] * w00 + data[i01] * w01 + data[i10] * w10 + data[i11] * w11;
      out[o++] = data[i00 + 1] * w00 + data[i01 + 1] * w01 + data[i10 + 1] * w10 + data[i11 + 1] * w11;
      out[o++] = data[i00 + 2] * w00 + data[i01 + 2] * w01 + data[i10 + 2] * w10 + data[i11 + 2] * w11;
    }
  }
  return out;
}

/** Aligned `size`×`size` chip of a face from its 5 landmarks. */
export function alignFace(image: RgbImage, landmarks: readonly Point[], size: number, zoom = 1): Float32Array {
  return warpToChip(image, similarityTransform(landmarks, templateFor(size, zoom)), size, size);
}

/** Grey (BT.601 luma) 8-bit version of an RGB float chip. */
export function chipToGrey(chip: Float32Array): Uint8Array {
  const out = new Uint8Array(chip.length / 3);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    const v = 0.299 * chip[j] + 0.587 * chip[j + 1] + 0.114 * chip[j + 2];
    out[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return out;
}
