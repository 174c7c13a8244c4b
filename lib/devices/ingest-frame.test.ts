import { describe, expect, it, vi } from 'vitest';
import { countingStream } from '@/test/helpers/counting-stream';
import { assertCompleteJpeg, createFrameRateLimiter, readBodyWithLimit, throttledSeen } from './ingest-frame';

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('http://x/api/devices/d/frames', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBodyWithLimit', () => {
  it('reads a body within the limit', async () => {
    expect(await readBodyWithLimit(post(new Uint8Array([1, 2, 3])), 10)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const { stream, pulled } = countingStream(50_000_000);
    await expect(readBodyWithLimit(post(stream, { 'content-length': '50000000' }), 2_000_000)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(pulled()).toBeLessThanOrEqual(65_536 * 2); // at most what the stream buffers ahead
  });

  it('stops reading a chunked body once past the limit', async () => {
    const { stream, pulled } = countingStream(50_000_000);
    await expect(readBodyWithLimit(post(stream), 2_000_000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(pulled()).toBeLessThan(2_000_000 + 3 * 65_536);
  });
});

describe('assertCompleteJpeg', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  it('accepts SOI … EOI, also with a little padding after EOI', () => {
    expect(() => assertCompleteJpeg(jpeg)).not.toThrow();
    expect(() => assertCompleteJpeg(Buffer.concat([jpeg, Buffer.alloc(8)]))).not.toThrow();
  });
  it.each([
    ['empty', Buffer.alloc(0), /Empty body/],
    ['not a JPEG', Buffer.from('GIF89a....'), /FFD8/],
    ['truncated', jpeg.subarray(0, 7), /Truncated JPEG/],
  ])('rejects %s', (_name, bytes, message) => {
    expect(() => assertCompleteJpeg(bytes)).toThrow(message);
  });
});

describe('rate limiter and last-seen throttle', () => {
  it('allows PUSH_MAX_FPS frames per second per device', async () => {
    const limiter = createFrameRateLimiter(3);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => limiter.consume('cam')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    await expect(limiter.consume('other')).resolves.toBeDefined();
  });

  it('writes last_seen at most once per interval per camera', () => {
    let t = 0;
    const mark = vi.fn(async () => undefined);
    const seen = throttledSeen(mark, 5_000, () => t);
    seen('a');
    seen('a');
    seen('b');
    t = 4_999;
    seen('a');
    t = 5_000;
    seen('a');
    expect(mark.mock.calls).toEqual([['a'], ['b'], ['a']]);
  });
});
