import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEsp32StreamServer, type Esp32StreamServer } from '../../test/fixtures/camera/esp32-stream-server';
import { makeSyntheticJpegs } from '../../test/fixtures/camera/jpegs';
import { CameraConnection, type CameraState } from './camera-connection';
import { FrameQueue } from './frame-queue';
import { mjpegSource } from './mjpeg-reader';
import type { Frame, FrameSource, SourceOutcome } from './types';

let jpegs: Buffer[] = [];
const servers: Esp32StreamServer[] = [];
const connections: CameraConnection[] = [];

beforeAll(async () => {
  jpegs = await makeSyntheticJpegs(3);
});

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.stop()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function track(connection: CameraConnection): CameraConnection {
  connections.push(connection);
  return connection;
}

const frameOf = (n: number): Frame => ({
  cameraId: 'fake',
  jpeg: Buffer.from([0xff, 0xd8, n, 0xff, 0xd9]),
  receivedAt: n,
});

describe('CameraConnection with a scripted source', () => {
  it('retries with growing backoff, resets it after frames, and reports state and counters', async () => {
    const outcomes: SourceOutcome[] = [
      { status: 'failed', frames: 0, failure: { code: 'connection-refused', message: 'refused' } },
      { status: 'failed', frames: 0, failure: { code: 'connection-refused', message: 'refused' } },
      { status: 'stalled', frames: 2, stallTimeoutMs: 50 },
    ];
    const startedAt: number[] = [];
    const source: FrameSource = async ({ signal, onFrame }) => {
      startedAt.push(Date.now());
      const next = outcomes.shift();
      if (next === undefined) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return { status: 'aborted', frames: 0 };
      }
      for (let i = 0; i < next.frames; i++) onFrame(frameOf(i));
      return next;
    };
    const states: CameraState[] = [];
    const queue = new FrameQueue<Frame>(10);
    const connection = track(
      new CameraConnection({
        cameraId: 'fake',
        source,
        onFrame: (f) => queue.push(f),
        backoff: { baseMs: 40, maxMs: 1_000, random: () => 0.999 },
        onStateChange: (s) => states.push(s),
      }),
    );
    connection.start();
    connection.start(); // idempotent
    await expect.poll(() => startedAt.length, { timeout: 2_000 }).toBe(4);

    const gaps = startedAt.slice(1).map((t, i) => t - startedAt[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(35); // ~40 ms
    expect(gaps[1]).toBeGreaterThanOrEqual(75); // ~80 ms: doubled
    expect(gaps[2]).toBeLessThan(75); // back to ~40 ms: the stalled run had delivered frames
    expect(connection.stats()).toMatchObject({
      framesIn: 2,
      reconnects: 3,
      lastErrorCode: 'stalled',
      lastFrameAt: 1,
      state: 'connecting',
    });
    expect(queue.size).toBe(2);
    expect(states.slice(0, 6)).toEqual(['connecting', 'backoff', 'connecting', 'backoff', 'connecting', 'streaming']);

    await connection.stop();
    expect(connection.state).toBe('stopped');
  });

  it('stop() interrupts a long backoff at once', async () => {
    const connection = track(
      new CameraConnection({
        cameraId: 'fake',
        source: async () => ({ status: 'ended', frames: 0 }),
        backoff: { baseMs: 60_000, maxMs: 60_000 },
      }),
    );
    connection.start();
    await expect.poll(() => connection.state).toBe('backoff');
    const before = Date.now();
    await connection.stop();
    expect(Date.now() - before).toBeLessThan(500);
    expect(connection.stats()).toMatchObject({ state: 'stopped', lastErrorCode: 'ended' });
  });
});

describe('CameraConnection against the ESP32 stream fixture', () => {
  it('reconnects after the camera stalls and streams again', async () => {
    const server = await startEsp32StreamServer({ jpegs, fps: 40 });
    servers.push(server);
    const queue = new FrameQueue<Frame>(5);
    const connection = track(
      new CameraConnection({
        cameraId: 'cam-1',
        source: mjpegSource(server.streamUrl, { cameraId: 'cam-1', stallTimeoutMs: 250 }),
        onFrame: (f) => queue.push(f),
        backoff: { baseMs: 50, maxMs: 200 },
      }),
    );
    connection.start();
    await expect.poll(() => connection.stats().framesIn, { timeout: 3_000 }).toBeGreaterThanOrEqual(3);
    expect(connection.state).toBe('streaming');

    server.stall();
    await expect.poll(() => connection.stats().lastErrorCode, { timeout: 3_000 }).toBe('stalled');
    expect(server.streamRequests).toBeGreaterThanOrEqual(1);
    server.resume();
    const framesBefore = connection.stats().framesIn;
    await expect.poll(() => connection.stats().framesIn, { timeout: 3_000 }).toBeGreaterThan(framesBefore + 3);
    expect(connection.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(server.streamRequests).toBeGreaterThanOrEqual(2);
    expect(connection.state).toBe('streaming');
    expect(queue.size).toBe(5);
    expect(queue.dropped).toBeGreaterThan(0); // nobody consumed: oldest frames were dropped, memory stayed flat
  });

  it('resumes after the camera is killed and restarted mid-stream', async () => {
    const server = await startEsp32StreamServer({ jpegs, fps: 40 });
    servers.push(server);
    const received: Frame[] = [];
    const connection = track(
      new CameraConnection({
        cameraId: 'cam-1',
        source: mjpegSource(server.streamUrl, { cameraId: 'cam-1', stallTimeoutMs: 1_000 }),
        onFrame: (frame) => received.push(frame),
        backoff: { baseMs: 30, maxMs: 120 },
      }),
    );
    connection.start();
    await expect.poll(() => received.length, { timeout: 3_000 }).toBeGreaterThanOrEqual(3);

    await server.kill();
    await expect.poll(() => connection.stats().lastErrorCode, { timeout: 3_000 }).toBe('connection-refused');
    expect(connection.state).not.toBe('streaming');
    const countWhileDown = received.length;

    await server.restart();
    await expect.poll(() => received.length, { timeout: 3_000 }).toBeGreaterThan(countWhileDown + 3);
    expect(connection.state).toBe('streaming');
    expect(connection.stats().reconnects).toBeGreaterThanOrEqual(2);
    expect(received.every((frame) => jpegs.some((jpeg) => jpeg.equals(frame.jpeg)))).toBe(true);
  });
});
