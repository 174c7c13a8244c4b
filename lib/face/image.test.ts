import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError, MAX_WORKING_SIDE, type ImageErrorCode } from './image';
import { skipUnlessCi } from '@/test/helpers/needs';

const FACES = path.resolve(process.cwd(), '../shared/faces');
const LFW_PHOTO = path.join(FACES, 'lfw-dev/known/Al_Gore/Al_Gore_0001.jpg');
const hasFaces = existsSync(LFW_PHOTO);
skipUnlessCi(!hasFaces, `[image.test] ${LFW_PHOTO} is absent: tests on real LFW photos are skipped`);

async function decodeError(input: Uint8Array): Promise<ImageDecodeError> {
  const err = await decodeImage(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'decodeImage should have thrown').toBeInstanceOf(ImageDecodeError);
  return err as ImageDecodeError;
}

async function expectCode(input: Uint8Array, code: ImageErrorCode): Promise<ImageDecodeError> {
  const err = await decodeError(input);
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(10);
  return err;
}

function solid(width: number, height: number, channels: 3 | 4 = 3) {
  return sharp({ create: { width, height, channels, background: { r: 200, g: 120, b: 40, alpha: 1 } } });
}

/** A valid 1×1 PNG whose IHDR is rewritten to claim `width`×`height` (with a correct CRC). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1).png().toBuffer());
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

/** A valid small JPEG whose baseline SOF0 header is rewritten to claim `width`×`height`. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpg = Buffer.from(await solid(8, 8).jpeg().toBuffer());
  const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
  expect(sof).toBeGreaterThan(0);
  jpg.writeUInt16BE(height, sof + 5);
  jpg.writeUInt16BE(width, sof + 7);
  return jpg;
}

describe('decodeImage rejects what it cannot use, with a code', () => {
  it('zero bytes → empty', async () => {
    await expectCode(new Uint8Array(0), 'empty');
    await expectCode(Buffer.alloc(0), 'empty');
  });

  it('random bytes and a text file → unsupported-format', async () => {
    let seed = 7;
    const random = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    await expectCode(random, 'unsupported-format');
    await expectCode(Buffer.from('name,student_id\nAda Lovelace,42\n'), 'unsupported-format');
  });

  it('a GIF and a TIFF are real images but unsupported-format, and the message names the format', async () => {
    const gif = await expectCode(await solid(16, 16).gif().toBuffer(), 'unsupported-format');
    expect(gif.message).toMatch(/gif/);
    const tiff = await expectCode(await solid(16, 16).tiff().toBuffer(), 'unsupported-format');
    expect(tiff.message).toMatch(/tiff/);
  });

  it('a PNG whose header claims 20000×20000 → too-large, fast and without allocating the pixels', async () => {
    const bomb = await pngClaiming(20000, 20000);
    expect(bomb.length).toBeLessThan(200);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const err = await expectCode(bomb, 'too-large');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(300 * 2 ** 20);
    expect(err.message).toContain('20000×20000');
  });

  it('a JPEG whose header claims 20000×20000 → too-large, fast', async () => {
    const bomb = await jpegClaiming(20000, 20000);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    await expectCode(bomb, 'too-large');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(300 * 2 ** 20);
  });

  it('a header that claims more pixels than it holds (within the size limit) → corrupt, not a crash', async () => {
    await expectCode(await pngClaiming(3000, 3000), 'corrupt');
  });

  it.skipIf(!hasFaces)('a real LFW JPEG cut to 60 % of its bytes → corrupt', async () => {
    const jpg = await readFile(LFW_PHOTO);
    await expectCode(jpg.subarray(0, Math.floor(jpg.length * 0.6)), 'corrupt');
  });
});

describe('decodeImage returns 8-bit interleaved RGB', () => {
  it.skipIf(!hasFaces)('a normal LFW JPEG decodes to 150×150×3 bytes', async () => {
    const img = await decodeImage(await readFile(LFW_PHOTO));
    expect([img.width, img.height]).toEqual([150, 150]);
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(img.data.length).toBe(150 * 150 * 3);
  });

  it('a grey PNG and a PNG with alpha come out as 3 channels with the right colours', async () => {
    const grey = await decodeImage(await solid(92, 112).greyscale().png().toBuffer());
    expect([grey.width, grey.height, grey.data.length]).toEqual([92, 112, 92 * 112 * 3]);
    expect(grey.data[0]).toBe(grey.data[1]);
    expect(grey.data[1]).toBe(grey.data[2]);
    const rgba = await decodeImage(await solid(10, 6, 4).png().toBuffer());
    expect(rgba.data.length).toBe(10 * 6 * 3);
    expect(Array.from(rgba.data.subarray(0, 3))).toEqual([200, 120, 40]);
  });

  it('a big photo is shrunk so its longer side is MAX_WORKING_SIDE, keeping the aspect ratio', async () => {
    const img = await decodeImage(await solid(3000, 2000).jpeg().toBuffer());
    expect(img.width).toBe(MAX_WORKING_SIDE);
    expect(img.height).toBeCloseTo((2000 * MAX_WORKING_SIDE) / 3000, -0.5);
    expect(img.data.length).toBe(img.width * img.height * 3);
    const portrait = await decodeImage(await solid(1000, 2400).webp().toBuffer());
    expect(portrait.height).toBe(MAX_WORKING_SIDE);
    expect(portrait.width).toBeLessThan(MAX_WORKING_SIDE);
  });

  it('a small photo is never enlarged', async () => {
    const img = await decodeImage(await solid(40, 30).png().toBuffer());
    expect([img.width, img.height]).toEqual([40, 30]);
  });

  it('honours EXIF orientation: a landscape file tagged "rotate 90°" decodes as portrait', async () => {
    const jpg = await solid(60, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(jpg);
    expect([img.width, img.height]).toEqual([20, 60]);
  });
});
