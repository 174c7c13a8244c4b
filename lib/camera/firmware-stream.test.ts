/**
 * Cross test: the firmware's own multipart writer (firmware/esp32-cam/src, compiled here with g++
 * into `emit_stream`) against the server's MJPEG parser and reader — so board and server agree on
 * the stream format byte for byte, not only on our reading of the stock format.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MjpegParser, type MjpegPart } from './mjpeg-parser';
import { readMjpegStream } from './mjpeg-reader';
import { skipUnlessCi } from '@/test/helpers/needs';

const FW = path.resolve('firmware/esp32-cam');
const haveCompiler = spawnSync('g++', ['--version']).status === 0;
skipUnlessCi(!haveCompiler, 'firmware-stream.test: g++ not found, skipping the firmware ↔ server cross test');

const BOUNDARY = '123456789000000000000987654321';

describe.skipIf(!haveCompiler)('firmware multipart writer → server MJPEG parser', () => {
  let dir: string;
  let emit: string;
  let jpegs: Buffer[];
  let files: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fw-stream-'));
    emit = path.join(dir, 'emit_stream');
    execFileSync('g++', [
      '-std=c++17',
      '-O1',
      '-o',
      emit,
      `${FW}/tools/emit_stream.cpp`,
      `${FW}/src/mjpeg_part.cpp`,
      `${FW}/src/http_wire.cpp`,
    ]);
    // Three real JPEGs of different sizes; the last carries the boundary text inside a comment
    // segment, which a parser that searches for the boundary instead of trusting Content-Length breaks on.
    const make = (w: number, h: number, colour: string) =>
      sharp({ create: { width: w, height: h, channels: 3, background: colour } })
        .jpeg({ quality: 80 })
        .toBuffer();
    const tricky = await make(64, 48, '#3366cc');
    const comment = Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\n`);
    const com = Buffer.concat([
      Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]),
      comment,
    ]);
    jpegs = [
      await make(320, 240, '#aa2211'),
      await make(640, 480, '#11aa22'),
      Buffer.concat([tricky.subarray(0, 2), com, tricky.subarray(2)]),
    ];
    files = jpegs.map((j, i) => {
      const f = path.join(dir, `${i}.jpg`);
      writeFileSync(f, j);
      return f;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every frame of the body arrives intact, whatever the chunking, with X-Timestamp', () => {
    const body = execFileSync(emit, ['--start', '100', '--interval-ms', '250', ...files]);
    for (const chunk of [1, 7, 1000, body.length]) {
      const parser = new MjpegParser({ boundary: BOUNDARY });
      const parts: MjpegPart[] = [];
      for (let i = 0; i < body.length; i += chunk) parts.push(...parser.push(body.subarray(i, i + chunk)));
      expect(parts.map((p, i) => p.jpeg.equals(jpegs[i]))).toEqual([true, true, true]);
      expect(parts.map((p) => p.timestamp)).toEqual([100_000, 100_250, 100_500]);
      expect(parser.stats.droppedInvalid + parser.stats.droppedOversize).toBe(0);
    }
  });

  it('the reader gets the same frames from the raw HTTP bytes the board sends (chunked, stock headers)', async () => {
    const wire = execFileSync(emit, ['--http', ...files]);
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end(wire)); // answer the GET with exactly the board's bytes
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const got: Buffer[] = [];
    const outcome = await readMjpegStream(
      `http://127.0.0.1:${port}/stream`,
      { signal: new AbortController().signal, onFrame: (f) => got.push(f.jpeg) },
      { cameraId: 'fw', stallTimeoutMs: 2000 },
    );
    server.close();
    expect(outcome.status).toBe('ended');
    expect(got.length).toBe(3);
    got.forEach((g, i) => expect(g.equals(jpegs[i])).toBe(true));
  });
});
