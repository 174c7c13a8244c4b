import { beforeAll, describe, expect, it } from 'vitest';
import {
  ESP32_PART_BOUNDARY,
  ESP32_STREAM_CONTENT_TYPE,
  esp32FramePieces,
  type BoundaryPlacement,
} from '../../test/fixtures/camera/esp32-stream-server';
import { makeSyntheticJpegs, withEmbeddedThumbnail } from '../../test/fixtures/camera/jpegs';
import { MjpegParser, boundaryFromContentType, isMultipartContentType, type MjpegPart } from './mjpeg-parser';

let jpegs: Buffer[] = [];
let thumbnail: Buffer;

beforeAll(async () => {
  jpegs = await makeSyntheticJpegs(4, 64, 48);
  [thumbnail] = (await makeSyntheticJpegs(1, 16, 16)) as [Buffer];
});

function esp32Stream(frames: Buffer[], placement: BoundaryPlacement = 'before'): Buffer {
  return Buffer.concat(
    frames.flatMap((jpeg, i) => esp32FramePieces(jpeg, BigInt(123_456_789 + i * 1_000_000), placement)),
  );
}

function ffmpegStream(frames: Buffer[]): Buffer {
  return Buffer.concat(
    frames.flatMap((jpeg) => [
      Buffer.from(`--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: ${jpeg.length}\r\n\r\n`, 'latin1'),
      jpeg,
      Buffer.from('\r\n', 'latin1'),
    ]),
  );
}

/** A tiny seeded PRNG so failures are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function feedInChunks(parser: MjpegParser, stream: Buffer, cuts: number[]): MjpegPart[] {
  const parts: MjpegPart[] = [];
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    parts.push(...parser.push(stream.subarray(from, cut)));
    from = cut;
  }
  return parts;
}

// Compared as hex: vitest's deep equality walks Buffers byte by byte, which is slow in loops.
const jpegsOf = (parts: MjpegPart[]) => parts.map((part) => part.jpeg.toString('hex'));
const hex = (buffers: Array<Buffer | undefined>) => buffers.map((buffer) => buffer!.toString('hex'));

describe('boundaryFromContentType', () => {
  it.each([
    [ESP32_STREAM_CONTENT_TYPE, ESP32_PART_BOUNDARY],
    ['multipart/x-mixed-replace;boundary=ffmpeg', 'ffmpeg'],
    ['multipart/x-mixed-replace; boundary="--myboundary"', 'myboundary'],
    ['multipart/x-mixed-replace; charset=x; BOUNDARY=--frame; other=1', 'frame'],
    ['multipart/x-mixed-replace', null],
    ['image/jpeg', null],
  ])('%s → %s', (contentType, boundary) => {
    expect(boundaryFromContentType(contentType)).toBe(boundary);
  });

  it('recognises multipart content types only', () => {
    expect(isMultipartContentType(ESP32_STREAM_CONTENT_TYPE)).toBe(true);
    expect(isMultipartContentType('application/octet-stream')).toBe(false);
    expect(isMultipartContentType(undefined)).toBe(false);
  });
});

describe('MjpegParser', () => {
  it.each<BoundaryPlacement>(['before', 'after'])(
    'parses the stock ESP32 byte format (boundary %s each frame) byte for byte, with X-Timestamp',
    (placement) => {
      const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY });
      const parts = parser.push(esp32Stream(jpegs, placement));
      expect(jpegsOf(parts)).toEqual(hex(jpegs));
      expect(parts[0]!.headers['content-type']).toBe('image/jpeg');
      expect(parts[0]!.timestamp).toBeCloseTo(123_456.789, 6);
      expect(parts[1]!.timestamp).toBeCloseTo(124_456.789, 6);
      expect(parser.stats).toMatchObject({
        parts: 4,
        droppedInvalid: 0,
        droppedOversize: 0,
        lengthMismatches: 0,
        skippedBytes: 0,
      });
    },
  );

  it('parses ffmpeg -f mpjpeg output, boundary given with leading dashes', () => {
    const parser = new MjpegParser({ boundary: '--ffmpeg' });
    expect(jpegsOf(parser.push(ffmpegStream(jpegs)))).toEqual(hex(jpegs));
  });

  it('gives the same frames for any way the stream is split into chunks', () => {
    const random = mulberry32(42);
    const streams: Array<[string, Buffer]> = [
      [ESP32_PART_BOUNDARY, esp32Stream(jpegs, 'before')],
      [ESP32_PART_BOUNDARY, esp32Stream(jpegs, 'after')],
      ['ffmpeg', ffmpegStream(jpegs)],
      [
        'frame',
        Buffer.concat(
          jpegs.flatMap((jpeg) => [Buffer.from('--frame\nContent-Type: image/jpeg\n\n'), jpeg, Buffer.from('\n')]),
        ),
      ],
    ];
    for (const [boundary, stream] of streams) {
      for (let trial = 0; trial < 150; trial++) {
        const cutCount = 1 + Math.floor(random() * 40);
        const cuts = Array.from({ length: cutCount }, () => Math.floor(random() * stream.length)).sort((a, b) => a - b);
        const parts = feedInChunks(new MjpegParser({ boundary }), stream, cuts);
        expect(jpegsOf(parts), `boundary ${boundary}, cuts ${cuts.join(',')}`).toEqual(hex(jpegs));
      }
    }
  });

  it('survives a split at every single byte offset of a two-frame stream (and one-byte chunks)', () => {
    const stream = esp32Stream(jpegs.slice(0, 2), 'before');
    for (let cut = 0; cut <= stream.length; cut++) {
      const parts = feedInChunks(new MjpegParser({ boundary: ESP32_PART_BOUNDARY }), stream, [cut]);
      expect(parts.length, `cut at ${cut}`).toBe(2);
    }
    const oneByte = Array.from({ length: stream.length }, (_, i) => i);
    expect(jpegsOf(feedInChunks(new MjpegParser({ boundary: ESP32_PART_BOUNDARY }), stream, oneByte))).toEqual(
      hex(jpegs.slice(0, 2)),
    );
  });

  it('handles parts without Content-Length, with LF-only line endings', () => {
    const stream = Buffer.concat(
      jpegs.flatMap((jpeg) => [
        Buffer.from('--frame\nContent-Type: image/jpeg\n\n', 'latin1'),
        jpeg,
        Buffer.from('\n', 'latin1'),
      ]),
    );
    const parser = new MjpegParser({ boundary: 'frame' });
    expect(jpegsOf(feedInChunks(parser, stream, [7, 100, 101, 500]))).toEqual(hex(jpegs));
  });

  it('emits a part without Content-Length as soon as its EOI arrives, not at the next boundary', () => {
    const parser = new MjpegParser({ boundary: 'frame' });
    const parts = parser.push(Buffer.concat([Buffer.from('--frame\r\nContent-Type: image/jpeg\r\n\r\n'), jpegs[0]!]));
    expect(jpegsOf(parts)).toEqual(hex([jpegs[0]]));
  });

  it('does not cut a part without Content-Length at the FFD9 of an embedded thumbnail', () => {
    const withThumb = withEmbeddedThumbnail(jpegs[0]!, thumbnail);
    const stream = Buffer.concat([
      Buffer.from('--frame\r\n\r\n'),
      withThumb,
      Buffer.from('\r\n--frame\r\n\r\n'),
      jpegs[1]!,
    ]);
    expect(jpegsOf(new MjpegParser({ boundary: 'frame' }).push(stream))).toEqual(hex([withThumb, jpegs[1]]));
  });

  it('skips garbage between parts and counts it', () => {
    const pieces = esp32FramePieces(jpegs[0]!, 1n, 'before');
    const stream = Buffer.concat([
      Buffer.from('HTTP junk before anything\r\n'),
      ...pieces,
      Buffer.from('\r\n!!garbage!! with no line end', 'latin1'),
      Buffer.from([0x00, 0x01, 0xff, 0xd9, 0x13]),
      ...esp32FramePieces(jpegs[1]!, 2n, 'before'),
      Buffer.from('more garbage\n'),
      ...esp32FramePieces(jpegs[2]!, 3n, 'before'),
    ]);
    const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY });
    expect(jpegsOf(feedInChunks(parser, stream, [3, 40, 41, 300]))).toEqual(hex(jpegs.slice(0, 3)));
    expect(parser.stats.skippedBytes).toBeGreaterThan(40);
  });

  it('drops a part larger than maxPartBytes, counts it and resyncs on the next boundary', () => {
    const big = Buffer.concat([jpegs[0]!.subarray(0, -2), Buffer.alloc(20_000, 0x11), Buffer.from([0xff, 0xd9])]);
    const maxPartBytes = 10_000;
    for (const withLength of [true, false]) {
      const header = withLength
        ? `Content-Type: image/jpeg\r\nContent-Length: ${big.length}\r\n\r\n`
        : 'Content-Type: image/jpeg\r\n\r\n';
      const stream = Buffer.concat([
        Buffer.from(`\r\n--${ESP32_PART_BOUNDARY}\r\n${header}`),
        big,
        ...esp32FramePieces(jpegs[1]!, 1n, 'before'),
      ]);
      const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY, maxPartBytes });
      const chunks = Array.from({ length: Math.ceil(stream.length / 512) }, (_, i) => i * 512);
      const parts = feedInChunks(parser, stream, chunks);
      expect(jpegsOf(parts), `withLength=${withLength}`).toEqual(hex([jpegs[1]]));
      expect(parser.stats.droppedOversize).toBe(1);
    }
  });

  it('keeps memory bounded on an endless part with no boundary and no EOI', () => {
    const maxPartBytes = 100_000;
    const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY, maxPartBytes });
    parser.push(Buffer.from(`\r\n--${ESP32_PART_BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\n`));
    parser.push(jpegs[0]!.subarray(0, 200));
    const filler = Buffer.alloc(7_000, 0x42);
    let maxBuffered = 0;
    for (let i = 0; i < 500; i++) {
      parser.push(filler);
      maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
    }
    expect(maxBuffered).toBeLessThanOrEqual(maxPartBytes + 64 * 1024);
    expect(parser.stats.droppedOversize).toBeGreaterThanOrEqual(1);
    // and it still finds the next good frame
    expect(jpegsOf(parser.push(esp32Stream([jpegs[1]!])))).toEqual(hex([jpegs[1]]));
  });

  it('keeps memory bounded on endless garbage and endless header lines', () => {
    const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY, maxPartBytes: 50_000 });
    for (let i = 0; i < 200; i++) parser.push(Buffer.alloc(10_000, 0x61));
    expect(parser.bufferedBytes).toBeLessThan(100);
    for (let i = 0; i < 200; i++) parser.push(Buffer.from('X-Header: ' + 'v'.repeat(100) + '\r\n'));
    expect(parser.bufferedBytes).toBeLessThan(20_000);
    expect(jpegsOf(parser.push(esp32Stream([jpegs[2]!])))).toEqual(hex([jpegs[2]]));
  });

  it('recovers from a Content-Length that is too short or too long', () => {
    const lie = (jpeg: Buffer, length: number) =>
      Buffer.concat([
        Buffer.from(`\r\n--${ESP32_PART_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${length}\r\n\r\n`),
        jpeg,
      ]);
    const stream = Buffer.concat([
      lie(jpegs[0]!, jpegs[0]!.length - 100),
      lie(jpegs[1]!, jpegs[1]!.length + 50),
      esp32Stream([jpegs[2]!, jpegs[3]!]),
    ]);
    const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY });
    expect(jpegsOf(feedInChunks(parser, stream, [50, 900]))).toEqual(hex(jpegs));
    expect(parser.stats.lengthMismatches).toBe(2);
  });

  it('drops a part whose body is not a JPEG and resyncs on the boundary', () => {
    const notJpeg = Buffer.from('<html>camera error</html>');
    const stream = Buffer.concat([
      Buffer.from(
        `\r\n--${ESP32_PART_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${notJpeg.length}\r\n\r\n`,
      ),
      notJpeg,
      esp32Stream([jpegs[0]!]),
    ]);
    const parser = new MjpegParser({ boundary: ESP32_PART_BOUNDARY });
    expect(jpegsOf(parser.push(stream))).toEqual(hex([jpegs[0]]));
    expect(parser.stats.droppedInvalid).toBe(1);
  });

  it('drops a truncated JPEG cut short by the next boundary', () => {
    const stream = Buffer.concat([
      Buffer.from('--frame\r\n\r\n'),
      jpegs[0]!.subarray(0, 300),
      Buffer.from('\r\n--frame\r\n\r\n'),
      jpegs[1]!,
    ]);
    const parser = new MjpegParser({ boundary: 'frame' });
    expect(jpegsOf(parser.push(stream))).toEqual(hex([jpegs[1]]));
    expect(parser.stats.droppedInvalid).toBe(1);
  });

  it('falls back to JPEG markers when there is no boundary at all', () => {
    const stream = Buffer.concat([Buffer.from('junk'), jpegs[0]!, jpegs[1]!, Buffer.from('\r\n'), jpegs[2]!]);
    const parser = new MjpegParser({ boundary: null });
    expect(jpegsOf(feedInChunks(parser, stream, [2, 5, 333]))).toEqual(hex(jpegs.slice(0, 3)));
  });

  it('falls back to JPEG markers when the declared boundary never appears', () => {
    const stream = Buffer.concat(
      jpegs.flatMap((jpeg) => [Buffer.from('--other\r\nContent-Type: image/jpeg\r\n\r\n'), jpeg]),
    );
    expect(jpegsOf(new MjpegParser({ boundary: 'declared' }).push(stream))).toEqual(hex(jpegs));
  });
});
