import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startEsp32StreamServer,
  type BoundaryPlacement,
  type Esp32StreamServer,
} from '../../test/fixtures/camera/esp32-stream-server';
import { ORL_FACES_DIR, loadOrlFaceJpegs, makeSyntheticJpegs } from '../../test/fixtures/camera/jpegs';
import { readMjpegStream } from './mjpeg-reader';
import type { Frame } from './types';
import { skipUnlessCi } from '@/test/helpers/needs';

const faces = await loadOrlFaceJpegs(12);
skipUnlessCi(faces === null, `[mjpeg-reader.test] ${ORL_FACES_DIR} is absent: the real-face test is skipped`);

let synthetic: Buffer[] = [];
const servers: Esp32StreamServer[] = [];
const controllers: AbortController[] = [];

beforeAll(async () => {
  synthetic = await makeSyntheticJpegs(5);
});

afterEach(async () => {
  for (const controller of controllers.splice(0)) controller.abort();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(jpegs: Buffer[], placement: BoundaryPlacement = 'before', fps = 40): Promise<Esp32StreamServer> {
  const server = await startEsp32StreamServer({ jpegs, placement, fps });
  servers.push(server);
  return server;
}

function newSignal(): AbortSignal {
  const controller = new AbortController();
  controllers.push(controller);
  return controller.signal;
}

/** Reads until `count` frames arrived, then aborts; returns the frames and the outcome. */
async function readFrames(url: string, count: number, stallTimeoutMs = 2_000) {
  const controller = new AbortController();
  controllers.push(controller);
  const frames: Frame[] = [];
  const outcome = await readMjpegStream(
    url,
    {
      signal: controller.signal,
      onFrame: (frame) => {
        frames.push(frame);
        if (frames.length === count) controller.abort();
      },
    },
    { cameraId: 'cam-1', stallTimeoutMs },
  );
  return { frames, outcome };
}

describe('readMjpegStream against the ESP32 byte format', () => {
  it.skipIf(faces === null)('delivers real face JPEGs byte for byte, with camera timestamps', async () => {
    const server = await serve(faces!);
    const { frames, outcome } = await readFrames(server.streamUrl, faces!.length);
    expect(outcome).toEqual({ status: 'aborted', frames: faces!.length });
    expect(frames.map((frame, i) => frame.jpeg.equals(faces![i]!))).toEqual(faces!.map(() => true));
    expect(frames.every((frame) => frame.cameraId === 'cam-1' && typeof frame.timestamp === 'number')).toBe(true);
    expect(frames[1]!.timestamp!).toBeGreaterThan(frames[0]!.timestamp!);
  });

  it.each<BoundaryPlacement>(['before', 'after'])(
    'delivers frames intact with the boundary written %s each frame',
    async (placement) => {
      const server = await serve(synthetic, placement);
      const { frames } = await readFrames(server.streamUrl, 7);
      expect(frames.map((frame) => frame.jpeg.toString('base64'))).toEqual(
        Array.from({ length: 7 }, (_, i) => synthetic[i % synthetic.length]!.toString('base64')),
      );
      expect(frames.every((frame) => Math.abs(frame.receivedAt - Date.now()) < 10_000)).toBe(true);
    },
  );

  it('reports a stall when the camera stops sending, and drops the connection', async () => {
    const server = await serve(synthetic);
    const signal = newSignal();
    let frames = 0;
    const started = Date.now();
    const outcome = await readMjpegStream(
      server.streamUrl,
      {
        signal,
        onFrame: () => {
          frames += 1;
          if (frames === 3) server.stall();
        },
      },
      { cameraId: 'cam-1', stallTimeoutMs: 300 },
    );
    expect(outcome).toMatchObject({ status: 'stalled', stallTimeoutMs: 300 });
    expect(outcome.frames).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect.poll(() => server.activeStreams).toBe(0);
  });

  it('reports the end of the stream when the camera goes away', async () => {
    const server = await serve(synthetic);
    const outcome = await readMjpegStream(
      server.streamUrl,
      { signal: newSignal(), onFrame: () => void server.kill() },
      { cameraId: 'cam-1', stallTimeoutMs: 2_000 },
    );
    expect(['ended', 'failed']).toContain(outcome.status);
    expect(outcome.frames).toBeGreaterThanOrEqual(1);
  });

  it('fails with typed errors: not multipart, HTTP 404, connection refused, bad URL', async () => {
    const server = await serve(synthetic);
    const read = (url: string) =>
      readMjpegStream(url, { signal: newSignal(), onFrame: () => {} }, { cameraId: 'cam-1', stallTimeoutMs: 1_000 });

    expect(await read(server.captureUrl)).toMatchObject({ status: 'failed', failure: { code: 'not-multipart' } });
    expect(await read(`http://127.0.0.1:${server.port}/nope`)).toMatchObject({
      status: 'failed',
      failure: { code: 'http-status', httpStatus: 404 },
    });
    await server.kill();
    expect(await read(server.streamUrl)).toMatchObject({ status: 'failed', failure: { code: 'connection-refused' } });
    expect(await read('not a url')).toMatchObject({ status: 'failed', failure: { code: 'invalid-url' } });
    expect(await read('ftp://127.0.0.1/stream')).toMatchObject({ status: 'failed', failure: { code: 'invalid-url' } });
  });

  it('stops promptly when the signal aborts, before or during the stream', async () => {
    const server = await serve(synthetic);
    expect(
      await readMjpegStream(server.streamUrl, { signal: AbortSignal.abort(), onFrame: () => {} }, { cameraId: 'c' }),
    ).toEqual({
      status: 'aborted',
      frames: 0,
    });
    const outcome = await readMjpegStream(
      server.streamUrl,
      { signal: AbortSignal.timeout(200), onFrame: () => {} },
      { cameraId: 'c' },
    );
    expect(outcome.status).toBe('aborted');
    expect(outcome.frames).toBeGreaterThan(0);
    await expect.poll(() => server.activeStreams).toBe(0);
  });
});
