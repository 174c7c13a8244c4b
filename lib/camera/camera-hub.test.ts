import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEsp32StreamServer, type Esp32StreamServer } from '../../test/fixtures/camera/esp32-stream-server';
import { makeSyntheticJpegs } from '../../test/fixtures/camera/jpegs';
import { CameraHub } from './camera-hub';
import { mjpegSource } from './mjpeg-reader';
import type { Frame } from './types';

let jpegs: Buffer[] = [];
let server: Esp32StreamServer | undefined;
let hub: CameraHub | undefined;

beforeAll(async () => {
  jpegs = await makeSyntheticJpegs(3);
});

afterEach(async () => {
  await hub?.close();
  await server?.close();
  hub = undefined;
  server = undefined;
});

describe('CameraHub', () => {
  it('shares one camera connection between subscribers, each with its own bounded queue', async () => {
    server = await startEsp32StreamServer({ jpegs, fps: 40 });
    hub = new CameraHub({ defaultQueueCapacity: 50, backoff: { baseMs: 50, maxMs: 200 } });
    hub.addCamera('cam-1', mjpegSource(server.streamUrl, { cameraId: 'cam-1', stallTimeoutMs: 2_000 }));
    expect(server.streamRequests).toBe(0); // nothing connects until someone subscribes

    const fast = hub.subscribe('cam-1');
    const slow = hub.subscribe('cam-1', { capacity: 2 });
    const signal = AbortSignal.timeout(3_000);
    const got: Frame[] = [];
    for (let i = 0; i < 6; i++) got.push((await fast.queue.take(signal))!);
    expect(got.every((frame) => frame.cameraId === 'cam-1' && jpegs.some((jpeg) => jpeg.equals(frame.jpeg)))).toBe(
      true,
    );

    expect(server.streamRequests).toBe(1);
    expect(server.activeStreams).toBe(1);
    expect(slow.queue.size).toBe(2);
    expect(slow.queue.dropped).toBeGreaterThanOrEqual(4);
    const stats = hub.stats('cam-1')!;
    expect(stats).toMatchObject({ state: 'streaming', subscribers: 2 });
    expect(stats.framesIn).toBeGreaterThanOrEqual(6);
    expect(stats.dropped).toBeGreaterThanOrEqual(4);
    // The oldest frame waiting in any queue (the worker's load measure reads its age).
    expect(stats.oldestQueuedAt).not.toBeNull();
    expect(stats.oldestQueuedAt!).toBeLessThanOrEqual(slow.queue.peek()!.receivedAt);

    // A third consumer later still rides on the same connection.
    const late = hub.subscribe('cam-1');
    expect(await late.queue.take(signal)).not.toBeNull();
    expect(server.streamRequests).toBe(1);

    fast.unsubscribe();
    slow.unsubscribe();
    expect(server.activeStreams).toBe(1);
    late.unsubscribe();
    await expect.poll(() => hub!.stats('cam-1')!.state).toBe('stopped');
    await expect.poll(() => server!.activeStreams).toBe(0); // the camera's single stream slot is free again
    expect(fast.queue.isClosed).toBe(true);
    expect(fast.queue.push(got[0]!)).toBe(false);
  });

  it('reconnects when subscribed again after everyone left, keeping the counters', async () => {
    server = await startEsp32StreamServer({ jpegs, fps: 40 });
    hub = new CameraHub();
    hub.addCamera('cam-1', mjpegSource(server.streamUrl, { cameraId: 'cam-1' }));
    const first = hub.subscribe('cam-1');
    expect(await first.queue.take(AbortSignal.timeout(3_000))).not.toBeNull();
    first.unsubscribe();
    const second = hub.subscribe('cam-1');
    expect(await second.queue.take(AbortSignal.timeout(3_000))).not.toBeNull();
    expect(server.streamRequests).toBe(2);
    expect(server.activeStreams).toBe(1);
    expect(hub.stats('cam-1')!.framesIn).toBeGreaterThanOrEqual(2);
  });

  it('refuses unknown and duplicate cameras (programming errors)', () => {
    hub = new CameraHub();
    hub.addCamera('cam-1', async () => ({ status: 'ended', frames: 0 }));
    expect(() => hub!.addCamera('cam-1', async () => ({ status: 'ended', frames: 0 }))).toThrow(/already registered/);
    expect(() => hub!.subscribe('cam-9')).toThrow(/not registered/);
    expect(hub.stats('cam-9')).toBeUndefined();
  });

  it('replaceSource closes the old connection, then reads the new source into the same queue', async () => {
    server = await startEsp32StreamServer({ jpegs: jpegs.slice(0, 1), fps: 30 });
    const second = await startEsp32StreamServer({ jpegs: jpegs.slice(1, 2), fps: 30 });
    hub = new CameraHub({ defaultQueueCapacity: 50 });
    hub.addCamera('cam-1', mjpegSource(server.streamUrl, { cameraId: 'cam-1' }));
    const sub = hub.subscribe('cam-1');
    const signal = AbortSignal.timeout(5_000);
    expect((await sub.queue.take(signal))!.jpeg.equals(jpegs[0]!)).toBe(true);
    expect(hub.latestFrame('cam-1')!.jpeg.equals(jpegs[0]!)).toBe(true);
    try {
      await hub.replaceSource('cam-1', mjpegSource(second.streamUrl, { cameraId: 'cam-1' }));
      await expect.poll(() => server!.activeStreams).toBe(0);
      expect(server.streamRequests).toBe(1);
      // Frames queued before the swap may still be there; then only the new source's.
      let frame = await sub.queue.take(signal);
      while (frame && frame.jpeg.equals(jpegs[0]!)) frame = await sub.queue.take(signal);
      expect(frame!.jpeg.equals(jpegs[1]!)).toBe(true);
      expect(second.activeStreams).toBe(1);
      expect(hub.latestFrame('cam-1')!.jpeg.equals(jpegs[1]!)).toBe(true);
    } finally {
      await hub.close();
      await second.close();
    }
  });
});
