import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEsp32StreamServer, type Esp32StreamServer } from '../../test/fixtures/camera/esp32-stream-server';
import { makeSyntheticJpegs } from '../../test/fixtures/camera/jpegs';
import { pollSnapshots } from './snapshot-poller';
import type { Frame } from './types';

let jpegs: Buffer[] = [];
const servers: Esp32StreamServer[] = [];

beforeAll(async () => {
  jpegs = await makeSyntheticJpegs(3);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(captureContentType?: string) {
  const server = await startEsp32StreamServer({ jpegs, ...(captureContentType ? { captureContentType } : {}) });
  servers.push(server);
  return server;
}

describe('pollSnapshots', () => {
  it('polls /capture at the interval and yields each JPEG', async () => {
    const server = await serve();
    const controller = new AbortController();
    const frames: Frame[] = [];
    const outcome = await pollSnapshots(
      server.captureUrl,
      {
        signal: controller.signal,
        onFrame: (frame) => {
          frames.push(frame);
          if (frames.length === 4) controller.abort();
        },
      },
      { cameraId: 'cam-2', intervalMs: 60 },
    );
    expect(outcome).toEqual({ status: 'aborted', frames: 4 });
    expect(frames.map((frame) => frame.jpeg.toString('base64'))).toEqual(
      [0, 1, 2, 0].map((i) => jpegs[i]!.toString('base64')),
    );
    expect(frames[0]!.timestamp).toBeTypeOf('number');
    // Start-to-start pacing: 3 intervals between the first and fourth request, less the first one's latency.
    const span = frames[3]!.receivedAt - frames[0]!.receivedAt;
    expect(span).toBeGreaterThanOrEqual(100);
    expect(span).toBeLessThan(1_500);
  });

  it('treats a non-image answer, an HTTP error and a refused connection as typed failures', async () => {
    const server = await serve('text/html');
    const poll = (url: string) =>
      pollSnapshots(url, { signal: AbortSignal.timeout(3_000), onFrame: () => {} }, { cameraId: 'c', intervalMs: 50 });
    expect(await poll(server.captureUrl)).toMatchObject({
      status: 'failed',
      frames: 0,
      failure: { code: 'not-image' },
    });
    expect(await poll(`http://127.0.0.1:${server.port}/missing`)).toMatchObject({
      failure: { code: 'http-status', httpStatus: 404 },
    });
    await server.kill();
    expect(await poll(server.captureUrl)).toMatchObject({ failure: { code: 'connection-refused' } });
  });
});
