import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeViews, randomFrom, seedFrom, SIGHTING_RANGES, simulateSighting } from './simulated-sightings';
import type { DetectedFace } from './types';
import type { RgbImage } from './types';

/** A 150×150 picture with structure (a gradient and a bright square) and mean level ~150. */
function picture(): RgbImage {
  const width = 150,
    height = 150;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const v = x > 50 && x < 100 && y > 40 && y < 110 ? 230 : 80 + x;
      data[i] = v;
      data[i + 1] = v;
      data[i + 2] = Math.min(255, v + 10);
    }
  return { data, width, height };
}

async function decode(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { mean: data.reduce((s, v) => s + v, 0) / data.length, width: info.width, height: info.height };
}

describe('seedFrom / randomFrom', () => {
  it('give the same sequence for the same text and a different one for another', () => {
    expect(seedFrom('known/Ada/1.jpg#0')).toBe(seedFrom('known/Ada/1.jpg#0'));
    expect(seedFrom('known/Ada/1.jpg#0')).not.toBe(seedFrom('known/Ada/1.jpg#1'));
    const a = randomFrom(seedFrom('x')),
      b = randomFrom(seedFrom('x')),
      c = randomFrom(seedFrom('y'));
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
  });

  it('draws floats in [0, 1) spread over the range', () => {
    const rand = randomFrom(42);
    const draws = Array.from({ length: 10_000 }, rand);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, v) => s + v, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

describe('simulateSighting', () => {
  it('is the same JPEG for the same seed and a different one for another seed', async () => {
    const image = picture();
    const a = await simulateSighting(image, { faceBoxWidth: 60, faceWidth: 22, seed: 1 });
    const b = await simulateSighting(image, { faceBoxWidth: 60, faceWidth: 22, seed: 1 });
    const c = await simulateSighting(image, { faceBoxWidth: 60, faceWidth: 22, seed: 2 });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('shrinks the picture so the face is about as wide as asked (within the scale jitter)', async () => {
    const image = picture();
    const [lo, hi] = SIGHTING_RANGES.scaleJitter;
    for (let seed = 0; seed < 8; seed++) {
      const { width, height } = await decode(await simulateSighting(image, { faceBoxWidth: 60, faceWidth: 22, seed }));
      const scale = width / 150;
      expect(scale * 60).toBeGreaterThanOrEqual(22 * lo - 0.6);
      expect(scale * 60).toBeLessThanOrEqual(22 * hi + 0.6);
      expect(Math.abs(height - width)).toBeLessThanOrEqual(1);
    }
  });

  it('never scales up, and without a face on the full-size photo takes the face as 40 % of its width', async () => {
    const image = picture();
    const full = await decode(await simulateSighting(image, { faceBoxWidth: 60, seed: 3 }));
    expect(full.width).toBeLessThanOrEqual(150);
    expect(full.width).toBeGreaterThanOrEqual(Math.floor(150 * SIGHTING_RANGES.scaleJitter[0]) - 1);
    const noFace = await decode(await simulateSighting(image, { faceBoxWidth: null, faceWidth: 30, seed: 3 }));
    expect(noFace.width).toBeGreaterThanOrEqual(Math.floor((150 * 30 * SIGHTING_RANGES.scaleJitter[0]) / 60) - 1);
    expect(noFace.width).toBeLessThanOrEqual(Math.ceil((150 * 30 * SIGHTING_RANGES.scaleJitter[1]) / 60) + 1);
  });

  it('darkens the picture as a dim room does', async () => {
    const image = picture();
    const original = image.data.reduce((s, v) => s + v, 0) / image.data.length;
    for (let seed = 0; seed < 4; seed++) {
      const { mean } = await decode(await simulateSighting(image, { faceBoxWidth: 60, faceWidth: 40, seed }));
      expect(mean).toBeLessThan(original * SIGHTING_RANGES.brightness[1] + 3);
      expect(mean).toBeGreaterThan(original * SIGHTING_RANGES.brightness[0] - 3);
    }
  });
});

describe('probeViews', () => {
  // A stand-in engine: decodes with sharp and "finds" one 60 px face on the full-size photo.
  const engine = {
    decode: async (bytes: Buffer) => {
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height };
    },
    detect: async (image: RgbImage) =>
      image.width > 100 ? [{ box: { x: 45, y: 40, width: 60, height: 70 }, score: 0.99 } as DetectedFace] : [],
  };
  const photo = () => {
    const p = picture();
    return sharp(Buffer.from(p.data), { raw: { width: p.width, height: p.height, channels: 3 } })
      .png()
      .toBuffer();
  };

  it('without a width or --fuse is the photo itself', async () => {
    const bytes = await photo();
    expect(await probeViews(engine, bytes, { name: 'known/Ada/4.png' })).toEqual([bytes]);
  });

  it('with a width, one JPEG whose face is that wide', async () => {
    const [view, ...rest] = await probeViews(engine, await photo(), { faceWidth: 30, name: 'known/Ada/4.png' });
    expect(rest).toEqual([]);
    expect((await decode(view)).width).toBe(75); // 150 px × 30 / 60
  });

  it('with --fuse, N different sightings, the same ones for the same file name', async () => {
    const bytes = await photo();
    const a = await probeViews(engine, bytes, { faceWidth: 30, fuse: 3, name: 'known/Ada/4.png' });
    const b = await probeViews(engine, bytes, { faceWidth: 30, fuse: 3, name: 'known/Ada/4.png' });
    const other = await probeViews(engine, bytes, { faceWidth: 30, fuse: 3, name: 'known/Ada/5.png' });
    expect(a).toHaveLength(3);
    expect(new Set(a.map((v) => v.toString('base64'))).size).toBe(3);
    expect(a.map((v, i) => v.equals(b[i]))).toEqual([true, true, true]);
    expect(a[0].equals(other[0])).toBe(false);
  });
});
