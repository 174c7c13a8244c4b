/**
 * Synthetic classroom camera frames for `npm run bench:detect`: real LFW faces pasted at known
 * positions and sizes onto plain, textured or photographic backgrounds, then blurred or dimmed and
 * always JPEG-encoded, as an ESP32-CAM frame reaches the worker. The face boxes on the source photos
 * (the ground truth) come from the caller; everything here is seeded, so a seed gives the same frames.
 */
import sharp from 'sharp';
import type { FaceBox } from '@/lib/face/types';

export type Rng = () => number;

/** mulberry32: small, fast, reproducible; uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
/** Standard normal (Box–Muller). */
const gauss = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** Face-width buckets (px) the benchmark reports; widths are drawn uniformly inside a bucket. */
export const BUCKETS = [
  [20, 24],
  [24, 32],
  [32, 48],
  [48, 64],
  [64, 96],
  [96, 160],
] as const;
export const bucketLabel = (i: number) => `${BUCKETS[i][0]}–${BUCKETS[i][1]}`;
export function bucketOf(width: number): number {
  const i = BUCKETS.findIndex(([, hi]) => width < hi);
  return i < 0 ? BUCKETS.length - 1 : i;
}

/** A source photo and its main face box, found by the detector under test on the untouched photo. */
export interface SourceFace {
  file: string;
  width: number;
  height: number;
  box: FaceBox;
  /** Other faces the detector found on the photo (only photos where none reaches the crop are used). */
  others: FaceBox[];
}

export type Background = 'plain' | 'textured' | 'photo';
export type Condition = 'clean' | 'blur' | 'dim';
export const BACKGROUNDS: readonly Background[] = ['plain', 'textured', 'photo'];
export const CONDITIONS: readonly Condition[] = ['clean', 'blur', 'dim'];

export interface ComposedFrame {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Ground truth: each pasted face box in frame pixels, and the whole pasted crop around it. */
  faces: Array<{ box: FaceBox; bucket: number; source: string; pasted: FaceBox }>;
  background: Background;
  condition: Condition;
  quality: number;
}

type Rect = { left: number; top: number; width: number; height: number };

/** What is pasted around a face: its box enlarged this much around its centre, clipped to the photo. */
export const CROP_SCALE = 1.8;
/** Smallest gap (px) between two pasted crops. */
const GAP = 4;

export function cropRect(src: SourceFace): Rect {
  const cx = src.box.x + src.box.width / 2,
    cy = src.box.y + src.box.height / 2;
  const left = Math.max(0, Math.floor(cx - (src.box.width * CROP_SCALE) / 2)),
    top = Math.max(0, Math.floor(cy - (src.box.height * CROP_SCALE) / 2));
  const right = Math.min(src.width, Math.ceil(cx + (src.box.width * CROP_SCALE) / 2)),
    bottom = Math.min(src.height, Math.ceil(cy + (src.box.height * CROP_SCALE) / 2));
  return { left, top, width: right - left, height: bottom - top };
}

const overlapArea = (a: FaceBox, b: Rect) =>
  Math.max(0, Math.min(a.x + a.width, b.left + b.width) - Math.max(a.x, b.left)) *
  Math.max(0, Math.min(a.y + a.height, b.top + b.height) - Math.max(a.y, b.top));

/** Why a photo cannot serve as a source face (null = usable). */
export function unusableReason(src: SourceFace): 'face cut by the photo edge' | 'another face inside the crop' | null {
  const b = src.box;
  if (b.x < 0 || b.y < 0 || b.x + b.width > src.width || b.y + b.height > src.height)
    return 'face cut by the photo edge';
  const crop = cropRect(src);
  // A second person inside the pasted crop would be an unlabelled face: a "false" detection that is a real face.
  if (src.others.some((o) => overlapArea(o, crop) > 0.25 * o.width * o.height)) return 'another face inside the crop';
  return null;
}

/** Buckets of one frame: every bucket once per 8 faces, the rest from 20–48 px, where detectors struggle. */
function frameBuckets(rng: Rng, count: number): number[] {
  const rounds = Math.max(1, Math.floor(count / 8));
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) out.push(...BUCKETS.map((_, i) => i));
  while (out.length < count) out.push(Math.floor(rng() * 3));
  return out.slice(0, count);
}

type Placement = { src: SourceFace; crop: Rect; scale: number; at: Rect };

/** Largest crops first, each at a random free spot (scanned on a coarse grid); null when one does not fit. */
function layout(
  rng: Rng,
  sources: readonly SourceFace[],
  count: number,
  width: number,
  height: number,
): Placement[] | null {
  const wanted = frameBuckets(rng, count).map((b) => {
    const src = pick(rng, sources);
    const crop = cropRect(src);
    const scale = between(rng, BUCKETS[b][0], BUCKETS[b][1]) / src.box.width;
    return {
      src,
      crop,
      scale,
      w: Math.max(1, Math.round(crop.width * scale)),
      h: Math.max(1, Math.round(crop.height * scale)),
    };
  });
  wanted.sort((a, b) => b.w * b.h - a.w * a.h);
  const placed: Placement[] = [];
  const step = Math.max(2, Math.round(width / 160));
  for (const f of wanted) {
    const free: Array<[number, number]> = [];
    for (let y = 0; y + f.h <= height; y += step) {
      for (let x = 0; x + f.w <= width; x += step) {
        const clear = placed.every(
          (p) =>
            x + f.w + GAP <= p.at.left ||
            p.at.left + p.at.width + GAP <= x ||
            y + f.h + GAP <= p.at.top ||
            p.at.top + p.at.height + GAP <= y,
        );
        if (clear) free.push([x, y]);
      }
    }
    if (free.length === 0) return null;
    const [left, top] = pick(rng, free);
    placed.push({ src: f.src, crop: f.crop, scale: f.scale, at: { left, top, width: f.w, height: f.h } });
  }
  return placed;
}

function fill(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const px = new Uint8Array(width * height * 3);
  for (let i = 0; i < px.length; i += 3) px.set(rgb, i);
  return px;
}

function rect(px: Uint8Array, width: number, height: number, r: Rect, rgb: readonly number[]): void {
  const x0 = Math.max(0, Math.round(r.left)),
    y0 = Math.max(0, Math.round(r.top));
  const x1 = Math.min(width, Math.round(r.left + r.width)),
    y1 = Math.min(height, Math.round(r.top + r.height));
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) px.set(rgb, (y * width + x) * 3);
}

const greyish = (rng: Rng, lo: number, hi: number, tint: number): [number, number, number] => {
  const l = between(rng, lo, hi);
  return [
    clamp8(l + between(rng, -tint, tint)),
    clamp8(l + between(rng, -tint, tint)),
    clamp8(l + between(rng, -tint, tint)),
  ];
};

/** Walls, desks, boards and cables: random rectangles and lines on a base colour, plus sensor-like noise. */
function textured(rng: Rng, width: number, height: number): Uint8Array {
  const px = fill(width, height, greyish(rng, 70, 200, 20));
  const wood = () => [clamp8(between(rng, 90, 170)), clamp8(between(rng, 60, 120)), clamp8(between(rng, 35, 80))];
  for (let i = 0, n = 8 + Math.floor(rng() * 10); i < n; i++) {
    const colour = rng() < 0.4 ? wood() : greyish(rng, 20, 240, 40);
    rect(
      px,
      width,
      height,
      {
        left: rng() * width,
        top: rng() * height,
        width: width * between(rng, 0.03, 0.5),
        height: height * between(rng, 0.02, 0.35),
      },
      colour,
    );
  }
  for (let i = 0, n = 5 + Math.floor(rng() * 10); i < n; i++) {
    const colour = greyish(rng, 0, 255, 30);
    const thick = 1 + Math.floor(rng() * 4);
    const x0 = rng() * width,
      y0 = rng() * height,
      angle = pick(rng, [0, Math.PI / 2, rng() * Math.PI]);
    const len = between(rng, 0.2, 1) * width;
    for (let t = 0; t < len; t += 0.7)
      rect(
        px,
        width,
        height,
        { left: x0 + t * Math.cos(angle), top: y0 + t * Math.sin(angle), width: thick, height: thick },
        colour,
      );
  }
  const amp = between(rng, 4, 14);
  for (let i = 0; i < px.length; i += 3) {
    const n = (rng() * 2 - 1) * amp;
    px[i] = clamp8(px[i] + n);
    px[i + 1] = clamp8(px[i + 1] + n);
    px[i + 2] = clamp8(px[i + 2] + n);
  }
  return px;
}

/**
 * A face-free corner of an LFW photo, upscaled and blurred: real photographic colour and light. The
 * photos are 150×150 with the face filling the middle, so the corner is cut short of the face box.
 */
async function photo(rng: Rng, sources: readonly SourceFace[], width: number, height: number): Promise<Uint8Array> {
  const src = pick(rng, sources);
  const side = Math.max(8, Math.floor(Math.min(70, src.box.x, src.box.y) - 2));
  const { data } = await sharp(src.file)
    .extract({ left: 0, top: 0, width: side, height: side })
    .resize(width, height, { fit: 'fill' })
    .blur(Math.max(1, width / 320))
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** Background photos: a single face on the photo, and a corner big enough to be more than a colour. */
export const backgroundSources = (sources: readonly SourceFace[]) =>
  sources.filter((s) => s.others.length === 0 && Math.min(s.box.x, s.box.y) >= 26);

async function pasteFace(px: Uint8Array, width: number, p: Placement): Promise<void> {
  const { data, info } = await sharp(p.src.file)
    .extract(p.crop)
    .resize(p.at.width, p.at.height, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${p.src.file}: expected 3 channels, got ${info.channels}`);
  // Feathered edges (inside the margin the 1.8× crop leaves around the face), so no hard rectangle frames it.
  const ramp = Math.max(1, 0.12 * Math.min(p.at.width, p.at.height));
  for (let y = 0; y < p.at.height; y++) {
    for (let x = 0; x < p.at.width; x++) {
      const a = Math.min(1, (Math.min(x, y, p.at.width - 1 - x, p.at.height - 1 - y) + 0.5) / ramp);
      const s = (y * p.at.width + x) * 3,
        d = ((p.at.top + y) * width + p.at.left + x) * 3;
      for (let c = 0; c < 3; c++) px[d + c] = Math.round(a * data[s + c] + (1 - a) * px[d + c]);
    }
  }
}

export interface FrameSpec {
  width: number;
  height: number;
  faces: number;
  /** Rotates plain → textured → photo. */
  index: number;
}

export async function composeFrame(
  rng: Rng,
  sources: readonly SourceFace[],
  bgSources: readonly SourceFace[],
  spec: FrameSpec,
): Promise<ComposedFrame> {
  const { width, height } = spec;
  let placements: Placement[] | null = null;
  for (let attempt = 0; attempt < 50 && !placements; attempt++)
    placements = layout(rng, sources, spec.faces, width, height);
  if (!placements) throw new Error(`could not fit ${spec.faces} faces into ${width}×${height}`);
  const background = BACKGROUNDS[spec.index % BACKGROUNDS.length];
  const px =
    background === 'plain'
      ? fill(width, height, greyish(rng, 40, 220, 25))
      : background === 'textured'
        ? textured(rng, width, height)
        : await photo(rng, bgSources, width, height);
  for (const p of placements) await pasteFace(px, width, p);
  const faces = placements.map((p) => {
    const b = p.src.box,
      sx = p.at.width / p.crop.width,
      sy = p.at.height / p.crop.height;
    const box = {
      x: p.at.left + (b.x - p.crop.left) * sx,
      y: p.at.top + (b.y - p.crop.top) * sy,
      width: b.width * sx,
      height: b.height * sy,
    };
    return {
      box,
      bucket: bucketOf(box.width),
      source: p.src.file,
      pasted: { x: p.at.left, y: p.at.top, width: p.at.width, height: p.at.height },
    };
  });
  const r = rng();
  const condition: Condition = r < 1 / 3 ? 'blur' : r < 2 / 3 ? 'dim' : 'clean';
  const quality = 60 + Math.floor(rng() * 31);
  if (condition === 'dim') {
    // Poor light: darker, and the sensor's gain shows as noise.
    const gain = between(rng, 0.35, 0.6),
      noise = between(rng, 1.5, 4);
    for (let i = 0; i < px.length; i++) px[i] = clamp8(px[i] * gain + noise * gauss(rng));
  }
  let img = sharp(px, { raw: { width, height, channels: 3 } });
  if (condition === 'blur') img = img.blur(between(rng, 0.5, 1.5));
  const jpeg = await img.jpeg({ quality }).toBuffer();
  return { jpeg, width, height, faces, background, condition, quality };
}

/** The frame with boxes drawn on it (for a human to check the ground truth and the misses). */
export async function drawBoxes(
  jpeg: Buffer,
  width: number,
  height: number,
  boxes: Array<{ box: FaceBox; colour: string }>,
): Promise<Buffer> {
  const rects = boxes
    .map(
      ({ box, colour }) =>
        `<rect x="${box.x.toFixed(1)}" y="${box.y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
    )
    .join('');
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects}</svg>`);
  return sharp(jpeg)
    .composite([{ input: svg }])
    .png()
    .toBuffer();
}
