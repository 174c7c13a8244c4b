/**
 * Illumination normalisation of face images before the networks see them. A face lit from one side
 * (a window, a desk lamp) or under-exposed reaches the embedder as a dark, low-contrast chip whose
 * embedding drifts away from the well-lit enrolment photos; stretching its brightness range back to
 * 0–255 restores most of the lost similarity. Only under-exposed faces are touched: stretching every
 * face also raised the scores of strangers on well-lit photos (lfw-dev, README "Recognition").
 */
import { ARCFACE_TEMPLATE_112 } from './align';

/** Percentiles of the luminance that are mapped to 0 and 255: a few specular or shadow pixels don't set the range. */
const LOW = 0.01;
const HIGH = 0.99;
/**
 * A face whose brightest 1 % is below mid-grey is under-exposed. Well-lit photos sit far above it (lfw-dev:
 * 95 % of faces ≥ 152, ORL and Yale ≥ 154), faces darkened by a side light below it (median ~100).
 */
const UNDER_EXPOSED = 128;

/**
 * The inner face of a 112×112 ArcFace chip (a margin around the 5 template points: eyes to mouth, cheek
 * to cheek). Statistics come from here so that background, hair and the border pixels a tight crop
 * repeats into the chip's corners don't set the range.
 */
const FACE_REGION_112 = (() => {
  const xs = ARCFACE_TEMPLATE_112.map((p) => p[0]),
    ys = ARCFACE_TEMPLATE_112.map((p) => p[1]);
  return { x0: Math.min(...xs) - 8, x1: Math.max(...xs) + 8, y0: Math.min(...ys) - 16, y1: Math.max(...ys) + 8 };
})();

/** Luminance (BT.601) of an interleaved RGB pixel. */
const luma = (d: ArrayLike<number>, i: number) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];

/** The `LOW` and `HIGH` percentiles of the luminance inside the rectangle [x0, x1) × [y0, y1). */
export function luminanceRange(
  rgb: ArrayLike<number>,
  width: number,
  rect: { x0: number; x1: number; y0: number; y1: number },
): { lo: number; hi: number } {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = Math.max(0, Math.floor(rect.y0)); y < Math.ceil(rect.y1); y++) {
    for (let x = Math.max(0, Math.floor(rect.x0)); x < Math.min(width, Math.ceil(rect.x1)); x++) {
      const v = luma(rgb, (y * width + x) * 3);
      hist[v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)]++;
      n++;
    }
  }
  const at = (q: number) => {
    const target = q * n;
    let acc = 0;
    for (let v = 0; v < 256; v++) if ((acc += hist[v]) > target) return v;
    return 255;
  };
  return { lo: at(LOW), hi: at(HIGH) };
}

/**
 * Contrast stretch of an under-exposed aligned ArcFace chip (interleaved RGB floats 0..255, `size`×`size`,
 * in place): when the inner face's 99th luminance percentile is below mid-grey, its 1st–99th percentiles
 * become 0–255, the same linear map on every channel, clamped. Returns the gain applied (1: untouched).
 */
export function normalizeFaceIllumination(chip: Float32Array, size: number): number {
  const k = size / 112,
    r = FACE_REGION_112;
  const { lo, hi } = luminanceRange(chip, size, { x0: r.x0 * k, x1: r.x1 * k, y0: r.y0 * k, y1: r.y1 * k });
  if (hi >= UNDER_EXPOSED || hi - lo < 1) return 1;
  const gain = 255 / (hi - lo);
  for (let i = 0; i < chip.length; i++) {
    const v = (chip[i] - lo) * gain;
    chip[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return gain;
}

/**
 * Histogram equalisation of a whole 8-bit RGB image's luminance (a new image; colours scaled with their
 * pixel's luminance). Used only to find faces the detector misses in dark pictures: the equalised copy
 * spreads a face lit from one side over the whole range, where the detector's training photos live.
 */
export function equalizeLuminance(image: { data: Uint8Array; width: number; height: number }): {
  data: Uint8Array;
  width: number;
  height: number;
} {
  const { data, width, height } = image;
  const n = width * height;
  const hist = new Float64Array(256);
  const y8 = new Uint8Array(n);
  for (let p = 0; p < n; p++) hist[(y8[p] = Math.round(luma(data, 3 * p)))]++;
  const cdf = new Float64Array(256);
  let acc = 0;
  for (let v = 0; v < 256; v++) cdf[v] = ((acc += hist[v]) * 255) / n;
  const out = new Uint8Array(data.length);
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const y = y8[p];
    if (y === 0) {
      out[i] = out[i + 1] = out[i + 2] = Math.round(cdf[0]);
      continue;
    }
    const g = cdf[y] / y;
    out[i] = Math.min(255, Math.round(data[i] * g));
    out[i + 1] = Math.min(255, Math.round(data[i + 1] * g));
    out[i + 2] = Math.min(255, Math.round(data[i + 2] * g));
  }
  return { data: out, width, height };
}
