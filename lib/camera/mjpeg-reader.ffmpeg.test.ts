import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ffmpegAvailable, freePort, startFfmpegMjpegServer, stopAllFfmpeg } from '../../test/helpers/ffmpeg';
import { CameraConnection } from './camera-connection';
import { mjpegSource, readMjpegStream, type MjpegReaderOptions } from './mjpeg-reader';
import type { Frame } from './types';
import { skipUnlessCi } from '@/test/helpers/needs';

const hasFfmpeg = ffmpegAvailable();
skipUnlessCi(
  !hasFfmpeg,
  '[mjpeg-reader.ffmpeg.test] ffmpeg is not on PATH (apt-get install -y ffmpeg): these tests are skipped',
);

const connections: CameraConnection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.stop()));
  await stopAllFfmpeg();
});
afterAll(stopAllFfmpeg);

async function decodedSize(jpeg: Buffer): Promise<{ width: number; height: number }> {
  // A full decode, not just a header read: a truncated frame would fail here.
  const { info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height };
}

async function readFrames(url: string, count: number, options: Partial<MjpegReaderOptions> = {}) {
  const controller = new AbortController();
  const frames: Frame[] = [];
  const outcome = await readMjpegStream(
    url,
    {
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(8_000)]),
      onFrame: (frame) => {
        frames.push(frame);
        if (frames.length === count) controller.abort();
      },
    },
    { cameraId: 'ffmpeg', stallTimeoutMs: 3_000, ...options },
  );
  return { frames, outcome };
}

describe.skipIf(!hasFfmpeg)('MJPEG from ffmpeg -f mpjpeg over HTTP', () => {
  it('yields decodable JPEGs of the served size', async () => {
    const server = await startFfmpegMjpegServer({ port: await freePort(), width: 320, height: 240, fps: 20 });
    const { frames, outcome } = await readFrames(server.url, 5);
    expect(outcome).toEqual({ status: 'aborted', frames: 5 });
    for (const frame of frames) expect(await decodedSize(frame.jpeg)).toEqual({ width: 320, height: 240 });
  });

  it("copes with ffmpeg's default application/octet-stream Content-Type when allowed, refuses it otherwise", async () => {
    const plain = await startFfmpegMjpegServer({
      port: await freePort(),
      width: 160,
      height: 120,
      fps: 20,
      multipartContentType: false,
    });
    expect((await readFrames(plain.url, 1)).outcome).toMatchObject({
      status: 'failed',
      failure: { code: 'not-multipart' },
    });
    await plain.kill();

    const tolerated = await startFfmpegMjpegServer({
      port: await freePort(),
      width: 160,
      height: 120,
      fps: 20,
      multipartContentType: false,
    });
    const { frames } = await readFrames(tolerated.url, 3, { allowNonMultipart: true });
    expect(frames).toHaveLength(3);
    for (const frame of frames) expect(await decodedSize(frame.jpeg)).toEqual({ width: 160, height: 120 });
  });

  it('reconnects and resumes when ffmpeg is killed mid-stream and started again', async () => {
    const port = await freePort();
    let server = await startFfmpegMjpegServer({ port, fps: 20 });
    const received: Frame[] = [];
    const connection = new CameraConnection({
      cameraId: 'ffmpeg',
      source: mjpegSource(server.url, { cameraId: 'ffmpeg', stallTimeoutMs: 1_500 }),
      onFrame: (frame) => received.push(frame),
      backoff: { baseMs: 50, maxMs: 300 },
    });
    connections.push(connection);
    connection.start();
    await expect.poll(() => received.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(5);

    await server.kill();
    await expect.poll(() => connection.state, { timeout: 3_000 }).not.toBe('streaming');
    await expect.poll(() => connection.stats().lastErrorCode, { timeout: 3_000 }).toBe('connection-refused');
    const countWhileDown = received.length;

    server = await startFfmpegMjpegServer({ port, fps: 20 });
    await expect
      .poll(() => received.length, {
        timeout: 5_000,
        message: `after restart: ${JSON.stringify(connection.stats())} ffmpeg: ${server.stderr()}`,
      })
      .toBeGreaterThanOrEqual(countWhileDown + 5);
    expect(connection.state).toBe('streaming');
    expect(connection.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(await decodedSize(received.at(-1)!.jpeg)).toEqual({ width: 320, height: 240 });
  }, 20_000);
});
