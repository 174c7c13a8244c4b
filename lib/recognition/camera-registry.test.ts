import { describe, expect, it } from 'vitest';
import { CameraHub } from '@/lib/camera/camera-hub';
import type { FrameQueue } from '@/lib/camera/frame-queue';
import type { Frame } from '@/lib/camera/types';
import { cameras } from '@/db/schema/cameras';
import { DEFAULT_LIVENESS_MODE } from '@/lib/attendance/track-liveness';
import { createLogger } from '@/lib/log';
import { CameraRegistry, type CameraRow } from './camera-registry';
import type { FramePipeline } from './frame-pipeline';

const row = (over: Partial<CameraRow> = {}): CameraRow => ({
  cameraId: 'cam1',
  name: 'front',
  room: 'H1',
  mode: 'push',
  streamUrl: null,
  snapshotUrl: null,
  liveness: 'flag',
  ...over,
});

/** A pipeline that takes frames off its queue and finishes its last one `finishMs` after the stop. */
function fakePipeline(queue: FrameQueue<Frame>, seen: Frame[], finishMs: number) {
  return {
    stats: {},
    run: async (signal: AbortSignal) => {
      for (let f = await queue.take(signal); f; f = await queue.take(signal)) seen.push(f);
      await new Promise((r) => setTimeout(r, finishMs));
    },
  } as unknown as FramePipeline;
}

describe('CameraRegistry', () => {
  it('hands pushed frames to the camera, stops it on remove, and removeAll waits for a stop already under way', async () => {
    const seen: Frame[] = [];
    const registry = new CameraRegistry({
      hub: new CameraHub(),
      log: createLogger('test'),
      load: async () => [],
      createPipeline: (_c, q) => fakePipeline(q, seen, 100),
    });
    expect(registry.add(row())).toBe(true);
    expect(registry.places()).toEqual([{ cameraId: 'cam1', room: 'H1' }]);
    // The push slot is there once the hub's connection runs the source.
    for (let i = 0; i < 50 && !registry.get('cam1')!.push?.connected; i++) await new Promise((r) => setTimeout(r, 10));
    registry.get('cam1')!.push?.push({ cameraId: 'cam1', jpeg: Buffer.from([1]), receivedAt: Date.now() });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toHaveLength(1);

    const t0 = Date.now();
    const first = registry.removeAll();
    expect(registry.get('cam1')).toBeUndefined(); // gone at once: no frame is handed over after this
    await registry.removeAll(); // a second caller (the pipeline's stop after the abort signal)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    await first;
  });

  it('skips a pull camera without a URL and follows a room change', async () => {
    const registry = new CameraRegistry({
      hub: new CameraHub(),
      log: createLogger('test'),
      load: async () => [],
      createPipeline: (_c, q) => fakePipeline(q, [], 0),
    });
    expect(registry.add(row({ mode: 'pull' }))).toBe(false);
    registry.add(row());
    await registry.update(row({ room: 'H2', liveness: 'block' }));
    expect(registry.places()).toEqual([{ cameraId: 'cam1', room: 'H2' }]);
    expect(registry.livenessMode('cam1')).toBe('block');
    return registry.removeAll();
  });

  it('a mode change swaps the source: push → pull stops taking pushed frames, pull → push takes them again', async () => {
    const seen: Frame[] = [];
    const hub = new CameraHub({ backoff: { baseMs: 50, maxMs: 100 } });
    const registry = new CameraRegistry({
      hub,
      log: createLogger('test'),
      load: async () => [],
      createPipeline: (_c, q) => fakePipeline(q, seen, 0),
    });
    registry.add(row());
    const entry = registry.get('cam1')!;
    await expect.poll(() => entry.push?.connected).toBe(true);
    // Port 9 (discard) on loopback: nothing listens, so the pull source only fails and retries.
    await registry.update(row({ mode: 'pull', streamUrl: 'http://127.0.0.1:9/stream' }));
    expect(entry).toMatchObject({ mode: 'pull', streamUrl: 'http://127.0.0.1:9/stream' });
    expect(entry.push).toBeUndefined();
    await expect.poll(() => hub.stats('cam1')!.lastErrorCode).not.toBeNull();
    await registry.update(row());
    expect(entry.mode).toBe('push');
    await expect.poll(() => entry.push?.connected).toBe(true);
    entry.push!.push({ cameraId: 'cam1', jpeg: Buffer.from([2]), receivedAt: Date.now() });
    await expect.poll(() => seen.length).toBe(1);
    expect(registry.get('cam1')).toBe(entry); // the same pipeline throughout
    await registry.removeAll();
  });

  it('reload starts a leased camera once it can run and updates running ones; addLeased starts only those given', async () => {
    let table: CameraRow[] = [row({ cameraId: 'a', mode: 'pull' }), row({ cameraId: 'b' }), row({ cameraId: 'c' })];
    const registry = new CameraRegistry({
      hub: new CameraHub(),
      log: createLogger('test'),
      load: async () => table,
      createPipeline: (_c, q) => fakePipeline(q, [], 0),
    });
    const leased = new Set(['a', 'b']);
    await registry.reload((id) => leased.has(id));
    // 'a' is a pull camera without a URL; 'c' is not leased here.
    expect(registry.ids()).toEqual(['b']);
    table = [row({ cameraId: 'a', mode: 'push' }), row({ cameraId: 'b', room: 'H9' }), row({ cameraId: 'c' })];
    await registry.reload((id) => leased.has(id));
    expect(registry.places()).toEqual([
      { cameraId: 'b', room: 'H9' },
      { cameraId: 'a', room: 'H1' },
    ]);
    table = [...table, row({ cameraId: 'd' })];
    leased.add('d').add('c');
    await registry.addLeased(['d'], () => false);
    expect(registry.ids().sort()).toEqual(['a', 'b', 'd']);
    await registry.removeAll();
  });

  it("a camera's liveness mode is its row's; the table's default only for a camera never read", () => {
    const registry = new CameraRegistry({
      hub: new CameraHub(),
      log: createLogger('test'),
      load: async () => [],
      createPipeline: (_c, q) => fakePipeline(q, [], 0),
    });
    registry.add(row({ liveness: 'off' }));
    expect(registry.livenessMode('cam1')).toBe('off');
    expect(registry.livenessMode('never-seen')).toBe(DEFAULT_LIVENESS_MODE);
    expect(DEFAULT_LIVENESS_MODE).toBe(cameras.liveness.default);
    return registry.removeAll();
  });
});
