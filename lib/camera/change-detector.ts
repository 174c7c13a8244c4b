/**
 * Where a camera's picture changed since it was last still: the cheap first look at a frame, so the
 * detector runs only on the tiles where something happened (Frigate's motion gate, frigate/motion/).
 *
 * The JPEG is decoded shrunk on load (libjpeg's scaled IDCT, see shrinkFactor) to grey, and compared
 * with a running background per camera: its mean and, per
 * pixel, how much that pixel varies when nothing happens (sensor noise, JPEG flicker, a seated
 * student's small movements). A pixel changed when it differs from the background by more than
 * PIXEL_SIGMAS of its own variation; a region changed when, in a square the size of the smallest face
 * we detect, at least half the pixels changed: noise and flicker scatter single pixels, a face
 * appearing or a head turning changes a face-sized patch. Lights and exposure scale the whole picture:
 * the frame is compared after taking out its overall brightness against the background (`gain`).
 * bench/change-gate.ts on lecture-hall.py renders: 3.7 ms CPU per VGA frame and 8.9 per UXGA frame
 * (decode + detect today: 21 and 127 ms); every arrival flagged over its seat in the frame it appears;
 * nothing flagged in the empty hall, nor outside the known heads once the class sits.
 */
import sharp from 'sharp';
import type { FaceBox } from '@/lib/face/types';

/** A pixel changed when it is this many of its own standard deviations away from the background. */
export const PIXEL_SIGMAS = 4;
/**
 * The least a pixel's standard deviation is taken to be (grey levels of the shrunk frame): the 8-bit
 * quantisation and JPEG rounding, so a still pixel does not flag a step of a level or two (the
 * lecture-hall renders' empty hall at 1/5: median 0.5, 99th percentile 1.15).
 */
export const MIN_PIXEL_SIGMA = 1;
/** A new background pixel's standard deviation until its own is learnt: a dim, noisy camera's. */
const START_PIXEL_SIGMA = 4;
/**
 * How long the background takes to absorb a change (time constant): a change stays flagged for about
 * this long or more (a student the detector never finds: 11–15 s in the lecture halls), so a camera
 * that idles between full scans every few seconds still looks at it.
 */
export const BACKGROUND_MEMORY_MS = 5_000;
/** The smallest face spans at least this many pixels of the shrunk frame: the shrink stops there. */
const MIN_FACE_ON_SMALL = 4;
/** Share of a smallest-face square whose pixels must change for the square to count as a change. */
const FACE_SHARE = 0.5;
/**
 * A known face's head and neck around its box: half a face width more to each side, three quarters of
 * its height above (hair) and one and a half below (chin, neck, collar): where a seated student's small
 * movements and a turned head change the picture.
 */
export function headAround(face: FaceBox): FaceBox {
  return {
    x: face.x - 0.5 * face.width,
    y: face.y - 0.75 * face.height,
    width: 2 * face.width,
    height: 3.25 * face.height,
  };
}
/**
 * More than this share of the picture changed at once is not people but the picture itself (the camera
 * moved, the lights went out): everything counts as changed and the frame becomes the background.
 */
const WHOLE_PICTURE_SHARE = 0.5;
/**
 * Lights dimmed or raised and exposure drifting scale the picture by less than this (the lecture-hall
 * renders flicker by 18 %); beyond it the lights went on or off or the picture is another: start again.
 */
const MAX_GAIN = 2;

export interface ChangeReport {
  /** Anything changed outside the known faces (or there is no background yet: the first frame, a new picture). */
  changed: boolean;
  /** The changed parts, in frame pixels (bounding boxes of connected changed squares). */
  regions: FaceBox[];
  /** Indices of the caller's tiles (ChangeDetectorOptions.tiles) that a changed region overlaps. */
  tiles: number[];
  /** Indices of the `known` faces passed in whose head changed (turned, moved, left); the others can keep their boxes. */
  known: number[];
  /** Share of the shrunk frame's pixels that changed. */
  changedShare: number;
  /** The frame's brightness relative to the background (lights, exposure), taken out before comparing. */
  gain: number;
  /** True when the whole picture counts as changed: the first frame, a new size, most pixels changed at once, or the brightness more than doubled or halved. */
  reset: boolean;
}

export interface ChangeDetectorOptions {
  /** Smallest face (frame px) the detector looks for (CAMERA_MIN_FACE_SIZE): the smallest change that counts. */
  minFaceSize: number;
  /** The detector's tiles in frame pixels (e.g. the tiled scan's windows): reported by index when changed. */
  tiles?: FaceBox[];
  /** Background time constant (default BACKGROUND_MEMORY_MS). */
  memoryMs?: number;
}

/**
 * How much the gate shrinks a frame: as much as keeps the smallest face MIN_FACE_ON_SMALL pixels wide,
 * at most 8 (CAMERA_MIN_FACE_SIZE 20: 1/5, a VGA frame becomes 128 × 96). libjpeg decodes at 1/8, 1/4
 * or 1/2 directly; sharp loads at the largest of those below the factor (at 1/4 for 1/5) and resizes
 * the small rest. bench/change-gate.ts: 1/5 costs 2.7 ms per VGA frame, exactly 1/4 3.4 ms (sharp
 * then loads at 1/2 to avoid libjpeg's rounding), the full RGB decode 2.6 ms.
 */
export function shrinkFactor(minFaceSize: number): number {
  return Math.max(1, Math.min(8, Math.floor(minFaceSize / MIN_FACE_ON_SMALL)));
}

/** A frame decoded grey at 1/`factor` of its size (JPEG shrink-on-load), and its full size. */
export async function decodeSmallGrey(
  jpeg: Buffer | Uint8Array,
  factor: number,
): Promise<{ grey: Uint8Array; width: number; height: number; frameWidth: number; frameHeight: number }> {
  // The header only (~0.2 ms): a camera may change its resolution.
  const { width: frameWidth = 0, height: frameHeight = 0 } = await sharp(jpeg).metadata();
  const { data, info } = await sharp(jpeg)
    .resize({
      width: Math.max(1, Math.round(frameWidth / factor)),
      height: Math.max(1, Math.round(frameHeight / factor)),
      fit: 'fill',
      fastShrinkOnLoad: true,
      kernel: 'linear',
    })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    grey: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    frameWidth,
    frameHeight,
  };
}

const overlaps = (a: FaceBox, b: FaceBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** One camera's background and the change of each new frame against it. */
export class ChangeDetector {
  readonly factor: number;
  private readonly memoryMs: number;
  private mean: Float32Array | null = null;
  private variance: Float32Array | null = null;
  private width = 0;
  private height = 0;
  private lastAt = 0;

  constructor(private readonly opts: ChangeDetectorOptions) {
    this.factor = shrinkFactor(opts.minFaceSize);
    this.memoryMs = opts.memoryMs ?? BACKGROUND_MEMORY_MS;
  }

  /**
   * Decodes the JPEG shrunk and compares it (`at`: the frame's time in ms). `known`: the faces the
   * camera already follows (frame pixels); a change on a known face's head is reported in `known`, not
   * as a region, so a seated student moving their head does not send the detector over their tile.
   */
  async observe(jpeg: Buffer | Uint8Array, at: number, known: FaceBox[] = []): Promise<ChangeReport> {
    const small = await decodeSmallGrey(jpeg, this.factor);
    return this.compare(small.grey, small.width, small.height, at, known, {
      width: small.frameWidth,
      height: small.frameHeight,
    });
  }

  /**
   * Compares a grey `width` × `height` frame (already shrunk; `frame`: its full size, default `factor`
   * times larger) with the background, then moves the background towards it.
   */
  compare(
    grey: Uint8Array,
    width: number,
    height: number,
    at: number,
    known: FaceBox[] = [],
    frame = { width: width * this.factor, height: height * this.factor },
  ): ChangeReport {
    const { mean, variance } = this;
    if (!mean || !variance || width !== this.width || height !== this.height)
      return this.restart(grey, width, height, at, known, frame);
    const n = width * height;
    // Squared distance from the background beyond which a pixel changed.
    const limit = new Float32Array(n);
    for (let i = 0; i < n; i++) limit[i] = PIXEL_SIGMAS ** 2 * Math.max(MIN_PIXEL_SIGMA ** 2, variance[i]!);

    // Brightness of the frame against the background, from the pixels that did not change: once over
    // all pixels, then over those within twice the limit of that first guess, then within the limit
    // (a student walking in must not darken the room).
    let gain = 1;
    for (const widen of [Infinity, 4, 1]) {
      let sf = 0,
        sm = 0;
      for (let i = 0; i < n; i++) {
        const d = grey[i]! - gain * mean[i]!;
        if (d * d <= widen * limit[i]! * gain * gain) {
          sf += grey[i]!;
          sm += mean[i]!;
        }
      }
      if (sm > 0) gain = sf / sm;
    }

    const changedPx = new Uint8Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const d = grey[i]! - gain * mean[i]!;
      if (d * d > limit[i]! * gain * gain) {
        changedPx[i] = 1;
        count++;
      }
    }
    if (count > WHOLE_PICTURE_SHARE * n || gain > MAX_GAIN || gain < 1 / MAX_GAIN)
      return this.restart(grey, width, height, at, known, frame);

    const sx = frame.width / width,
      sy = frame.height / height;
    const side = Math.max(1, Math.round(this.opts.minFaceSize / sx));
    const need = Math.ceil(FACE_SHARE * side * side);
    // Changes on known heads are counted per head and left out of the regions.
    const outside = changedPx.slice();
    const knownChanged: number[] = [];
    known.forEach((face, k) => {
      const h = headAround(face);
      const x0 = Math.max(0, Math.floor(h.x / sx)),
        x1 = Math.min(width, Math.ceil((h.x + h.width) / sx));
      const y0 = Math.max(0, Math.floor(h.y / sy)),
        y1 = Math.min(height, Math.ceil((h.y + h.height) / sy));
      let c = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) c += changedPx[y * width + x]!;
        outside.fill(0, y * width + x0, y * width + Math.max(x0, x1));
      }
      if (c >= need) knownChanged.push(k);
    });
    const regions = components(changedSquares(outside, width, height, side, need), width, height).map((b) => ({
      x: b.x * sx,
      y: b.y * sy,
      width: b.width * sx,
      height: b.height * sy,
    }));
    const tiles: number[] = [];
    (this.opts.tiles ?? []).forEach((t, i) => {
      if (regions.some((r) => overlaps(r, t))) tiles.push(i);
    });

    // The background learns: its mean follows every pixel (a change is absorbed over memoryMs), its
    // variation only the pixels that did not change (an arrival must not teach it that the seat is noisy).
    const alpha = 1 - Math.exp(-Math.max(0, at - this.lastAt) / this.memoryMs);
    this.lastAt = Math.max(this.lastAt, at);
    for (let i = 0; i < n; i++) {
      const d = grey[i]! - gain * mean[i]!;
      mean[i] = mean[i]! + alpha * (grey[i]! - mean[i]!);
      if (!changedPx[i]) variance[i] = variance[i]! + alpha * (d * d - variance[i]!);
    }
    return {
      changed: regions.length > 0,
      regions,
      tiles,
      known: knownChanged,
      changedShare: count / n,
      gain,
      reset: false,
    };
  }

  /** The frame becomes the background, and everything counts as changed (nothing to compare with). */
  private restart(
    grey: Uint8Array,
    width: number,
    height: number,
    at: number,
    known: FaceBox[],
    frame: { width: number; height: number },
  ): ChangeReport {
    this.mean = Float32Array.from(grey);
    this.variance = new Float32Array(width * height).fill(START_PIXEL_SIGMA ** 2);
    this.width = width;
    this.height = height;
    this.lastAt = at;
    return {
      changed: true,
      regions: [{ x: 0, y: 0, width: frame.width, height: frame.height }],
      tiles: (this.opts.tiles ?? []).map((_, i) => i),
      known: known.map((_, i) => i),
      changedShare: 1,
      gain: 1,
      reset: true,
    };
  }
}

/**
 * The pixels covered by some `side` × `side` square in which at least `need` pixels changed (summed
 * area table: every square position in one pass).
 */
function changedSquares(px: Uint8Array, width: number, height: number, side: number, need: number): Uint8Array {
  const w1 = width + 1;
  const sum = new Int32Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += px[y * width + x]!;
      sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1]! + row;
    }
  }
  const out = new Uint8Array(width * height);
  const sw = Math.min(side, width),
    sh = Math.min(side, height);
  for (let y = 0; y + sh <= height; y++) {
    for (let x = 0; x + sw <= width; x++) {
      const c = sum[(y + sh) * w1 + x + sw]! - sum[y * w1 + x + sw]! - sum[(y + sh) * w1 + x]! + sum[y * w1 + x]!;
      if (c < need) continue;
      for (let yy = y; yy < y + sh; yy++) out.fill(1, yy * width + x, yy * width + x + sw);
    }
  }
  return out;
}

/** Bounding boxes (shrunk-frame pixels) of the 8-connected parts of a mask. */
function components(mask: Uint8Array, width: number, height: number): FaceBox[] {
  const seen = new Uint8Array(mask.length);
  const out: FaceBox[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let x0 = width,
      y0 = height,
      x1 = -1,
      y1 = -1;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width,
        y = (i - x) / width;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx,
            ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    out.push({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
  }
  return out;
}
