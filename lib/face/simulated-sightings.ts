/**
 * The probe pictures of `npm run eval`: a photo shrunk to a given face width (`--probe-face-width`), or
 * what a classroom camera would see of it (`--fuse N`): each sighting is the
 * photo shrunk so its face is about as wide as asked (with a small scale jitter and a sub-pixel shift,
 * as a seated student moves), darkened (a dim room), with sensor noise and JPEG compression.
 * Everything is drawn from a seeded generator, so a file's sightings are the same on every run.
 */
import sharp from 'sharp';
import type { FaceDetector, RgbImage } from './types';

/** Ranges the sightings are drawn from (uniformly). */
export const SIGHTING_RANGES = {
  /** Face width relative to the asked width (a student leaning forward or back). */
  scaleJitter: [0.92, 1.08],
  /** Brightness factor on the 8-bit values: a dim lecture room the camera's exposure only partly makes up for. */
  brightness: [0.55, 0.9],
  /** Sensor noise, standard deviation in grey levels (after darkening): 2/3 shared by the channels, 1/3 colour. */
  noise: [1.5, 4],
  /** JPEG quality of the camera's stream. */
  jpegQuality: [65, 90],
} as const;

/** A 32-bit seed from text (FNV-1a): the dataset-relative file name gives every probe its own sightings. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const between = (rand: () => number, [lo, hi]: readonly [number, number]) => lo + (hi - lo) * rand();

/** A standard normal draw (Box–Muller). */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export type SightingOptions = {
  /** Width of the face (the detector's box on the full-size photo), or null when none was found there. */
  faceBoxWidth: number | null;
  /** Face width to aim for; undefined keeps the photo's size (scale jitter only shrinks it). */
  faceWidth?: number;
  seed: number;
};

/**
 * One sighting of `image` as a JPEG. A photo without a face on the full-size pass is scaled as if the
 * face were 40 % of its width (as `--probe-face-width` does). Never scales up.
 */
export async function simulateSighting(image: RgbImage, opts: SightingOptions): Promise<Buffer> {
  const rand = randomFrom(opts.seed);
  const jitter = between(rand, SIGHTING_RANGES.scaleJitter);
  const base = opts.faceWidth === undefined ? 1 : opts.faceWidth / (opts.faceBoxWidth ?? image.width * 0.4);
  const scale = Math.min(1, base * jitter);
  // Cutting off up to one output pixel's worth of source pixels shifts the sampling grid by a sub-pixel amount.
  const step = Math.max(1, Math.floor(1 / scale));
  const left = Math.floor(rand() * step),
    top = Math.floor(rand() * step);
  const srcW = image.width - left,
    srcH = image.height - top;
  const width = Math.max(1, Math.round(srcW * scale)),
    height = Math.max(1, Math.round(srcH * scale));
  const { data } = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .extract({ left, top, width: srcW, height: srcH })
    .resize(width, height)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const brightness = between(rand, SIGHTING_RANGES.brightness);
  const sigma = between(rand, SIGHTING_RANGES.noise);
  const shared = (sigma * 2) / 3,
    colour = sigma / 3;
  for (let i = 0; i < data.length; i += 3) {
    const luma = shared * gaussian(rand);
    for (let c = 0; c < 3; c++) {
      const v = data[i + c] * brightness + luma + colour * gaussian(rand);
      data[i + c] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  const quality = Math.round(between(rand, SIGHTING_RANGES.jpegQuality));
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/**
 * What the timed pass sees of one probe: the photo itself; the photo scaled down so that its largest
 * face (as found on the full-size photo) is about `faceWidth` pixels wide, as JPEG quality 80 (photos
 * where no face is found are scaled as if the face were 40 % of the picture's width; never scales up);
 * or, with `fuse`, that many simulated camera sightings (`name`, the file's path in the dataset, seeds them).
 */
export async function probeViews(
  engine: Pick<FaceDetector, 'detect'> & { decode(bytes: Buffer): Promise<RgbImage> },
  bytes: Buffer,
  opts: { faceWidth?: number; fuse?: number; name: string },
): Promise<Buffer[]> {
  if (opts.faceWidth === undefined && opts.fuse === undefined) return [bytes];
  let image;
  try {
    image = await engine.decode(bytes);
  } catch {
    return [bytes]; // counted as unreadable by the timed pass
  }
  const face = (await engine.detect(image)).sort((a, b) => b.box.width - a.box.width)[0];
  const faceBoxWidth = face ? face.box.width : null;
  if (opts.fuse !== undefined) {
    const views: Buffer[] = [];
    for (let i = 0; i < opts.fuse; i++)
      views.push(
        await simulateSighting(image, { faceBoxWidth, faceWidth: opts.faceWidth, seed: seedFrom(`${opts.name}#${i}`) }),
      );
    return views;
  }
  const scale = Math.min(1, opts.faceWidth! / (faceBoxWidth ?? image.width * 0.4));
  const width = Math.max(1, Math.round(image.width * scale)),
    height = Math.max(1, Math.round(image.height * scale));
  return [
    await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(width, height)
      .jpeg({ quality: 80 })
      .toBuffer(),
  ];
}
