/**
 * Image decoding for everything that enters the engine (uploads, camera frames, CLI folders).
 * Only JPEG, PNG and WebP are accepted; size limits are checked from the header before any pixel is
 * decoded, so a 20000×20000 "bomb" or a truncated file fails fast with a clear reason.
 */
import sharp, { type Metadata } from 'sharp';
import type { RgbImage } from './types';

export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp'] as const;

/** Largest accepted picture: 40 megapixels (a 12 MP phone photo fits easily). */
export const MAX_INPUT_PIXELS = 40_000_000;

/** Photos are shrunk so the longer side is at most this before detection; faces stay well resolved. */
export const MAX_WORKING_SIDE = 1600;

export type ImageErrorCode = 'empty' | 'unsupported-format' | 'too-large' | 'corrupt';

export class ImageDecodeError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export async function decodeImage(input: Buffer | Uint8Array, opts: { maxSide?: number } = {}): Promise<RgbImage> {
  if (!input || input.length === 0) throw new ImageDecodeError('empty', 'The file is empty (0 bytes).');
  const maxSide = opts.maxSide ?? MAX_WORKING_SIDE;
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageDecodeError('unsupported-format', 'Not an image we can read: upload a JPEG, PNG or WebP photo.');
  }
  if (!meta.format || !(SUPPORTED_FORMATS as readonly string[]).includes(meta.format)) {
    throw new ImageDecodeError(
      'unsupported-format',
      `Unsupported image format "${meta.format ?? 'unknown'}": upload a JPEG, PNG or WebP photo.`,
    );
  }
  const w = meta.width ?? 0,
    h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw new ImageDecodeError('corrupt', 'The image has no valid dimensions.');
  if (w * h > MAX_INPUT_PIXELS) {
    throw new ImageDecodeError(
      'too-large',
      `The image is ${w}×${h} pixels; the limit is ${MAX_INPUT_PIXELS / 1e6} megapixels.`,
    );
  }
  try {
    const { data, info } = await sharp(input, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS })
      .rotate() // honour EXIF orientation from phones
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw new ImageDecodeError(
      'corrupt',
      `The image could not be decoded (truncated or damaged file): ${(err as Error).message}`,
    );
  }
}
