import { describe, expect, it } from 'vitest';
import type { HeldLease, LeaseFence } from '@/lib/data/camera-leases';
import { createLogger } from '@/lib/log';
import { LeaseManager, type LeaseStore } from './lease-manager';
import type { CameraLoadSample } from './worker-load';

/** One camera table in memory with a clock the test moves (the "database"). */
function memoryStore(clock: { t: number }) {
  const leases = new Map<string, { worker: string | null; expires: number; generation: number }>();
  const workers = new Map<string, number>();
  const store: LeaseStore & { fail: boolean } = {
    fail: false,
    heartbeat: async (w) => {
      if (store.fail) throw new Error('database away');
      workers.set(w.workerId, w.capacity);
    },
    ensureRows: async () => 0,
    renew: async (w, ttl) => {
      if (store.fail) throw new Error('database away');
      const out: HeldLease[] = [];
      for (const [cameraId, l] of leases) {
        if (l.worker === w && l.expires > clock.t) {
          l.expires = clock.t + ttl;
          out.push({ cameraId, generation: l.generation });
        }
      }
      return out;
    },
    claim: async (w, ttl, limit) => {
      const out: HeldLease[] = [];
      for (const [cameraId, l] of leases) {
        if (out.length >= limit) break;
        if (l.worker === null || l.expires <= clock.t) {
          Object.assign(l, { worker: w, expires: clock.t + ttl, generation: l.generation + 1 });
          out.push({ cameraId, generation: l.generation });
        }
      }
      return out;
    },
    release: async (f: LeaseFence) => {
      const l = leases.get(f.cameraId);
      if (l?.worker !== f.workerId || l.generation !== f.generation) return false;
      l.worker = null;
      return true;
    },
    counts: async () => {
      const byWorker = new Map<string, number>();
      for (const l of leases.values())
        if (l.worker && l.expires > clock.t) byWorker.set(l.worker, (byWorker.get(l.worker) ?? 0) + 1);
      return { cameras: leases.size, leaseRows: leases.size, byWorker };
    },
    workers: async () =>
      [...workers].map(([workerId, capacity]) => ({
        workerId,
        internalUrl: '',
        capacity,
        startedAt: new Date(),
        lastSeenAt: new Date(),
        live: true,
      })),
    retire: async () => undefined,
  };
  return { store, leases };
}

describe('LeaseManager', () => {
  it('stops a camera the moment its local deadline passes (a paused or cut-off worker) and refuses its writes until the database answers', async () => {
    const clock = { t: 0 };
    const { store, leases } = memoryStore(clock);
    leases.set('cam1', { worker: null, expires: 0, generation: 0 });
    const stopped: string[] = [];
    const manager = new LeaseManager({
      workerId: 'w1',
      internalUrl: '',
      capacity: 10,
      ttlMs: 3_000,
      store,
      log: createLogger('test'),
      now: () => clock.t,
    });
    await manager.start({
      onAcquired: async () => undefined,
      onStopped: async (id, why) => void stopped.push(`${id}:${why}`),
    });
    expect(manager.fence('cam1')).toEqual({ cameraId: 'cam1', workerId: 'w1', generation: 1 });
    store.fail = true;
    clock.t = 2_000;
    await manager.tick();
    expect(manager.holds('cam1')).toBe(true); // renewal failed, but the lease is still provably ours
    clock.t = 3_000;
    expect(manager.holds('cam1')).toBe(false);
    expect(stopped).toEqual(['cam1:expired']);
    expect(manager.fence('cam1')).toBe('unknown');
    // Meanwhile another worker took the camera: once the database answers, the camera is known lost.
    Object.assign(leases.get('cam1')!, { worker: 'w2', expires: 99_000, generation: 2 });
    store.fail = false;
    await manager.tick();
    expect(manager.fence('cam1')).toBe('lost');
    await manager.stop();
  });

  it('a lease taken over while the worker was paused is lost at its first round', async () => {
    const clock = { t: 0 };
    const { store, leases } = memoryStore(clock);
    leases.set('cam1', { worker: null, expires: 0, generation: 0 });
    const stopped: string[] = [];
    const manager = new LeaseManager({
      workerId: 'w1',
      internalUrl: '',
      capacity: 10,
      ttlMs: 3_000,
      store,
      log: createLogger('test'),
      now: () => clock.t,
    });
    await manager.start({
      onAcquired: async () => undefined,
      onStopped: async (id, why) => void stopped.push(`${id}:${why}`),
    });
    Object.assign(leases.get('cam1')!, { worker: 'w2', expires: 99_000, generation: 2 });
    clock.t = 1_000; // still before the local deadline: only the database knows
    await manager.tick();
    expect(stopped).toEqual(['cam1:lost']);
    expect(manager.fence('cam1')).toBe('lost');
    await manager.stop();
  });
});

describe('LeaseManager with a measured load', () => {
  /** Each held camera at 5 fps since t = 0; `share` of its frames analysed, its oldest queued frame `behind` intervals old. */
  const cameraLoad =
    (manager: () => LeaseManager, clock: { t: number }, load: { share: number; behind: number }) =>
    (): CameraLoadSample[] =>
      manager()
        .heldCameras()
        .map((cameraId) => ({
          cameraId,
          arrived: Math.floor(clock.t / 200),
          analysed: Math.floor((clock.t / 200) * load.share),
          oldestQueuedMs: load.behind * 200,
        }));

  async function twoWorkers(w1Load: { share: number; behind: number }) {
    const clock = { t: 0 };
    const { store, leases } = memoryStore(clock);
    for (const id of ['cam1', 'cam2', 'cam3', 'cam4']) leases.set(id, { worker: null, expires: 0, generation: 0 });
    const make = (workerId: string, load: { share: number; behind: number }): LeaseManager => {
      const m: LeaseManager = new LeaseManager({
        workerId,
        internalUrl: '',
        capacity: 10,
        load: cameraLoad(() => m, clock, load),
        ttlMs: 15_000,
        store,
        log: createLogger('test'),
        now: () => clock.t,
      });
      return m;
    };
    const w1 = make('w1', w1Load);
    const w2 = make('w2', { share: 1, behind: 0 });
    const cameras = { onAcquired: async () => undefined, onStopped: async () => undefined };
    await w1.start(cameras);
    await w2.start(cameras);
    await w1.tick(); // w2 is live now: w1 gives up its extras
    await w2.tick();
    expect([w1.heldCameras().length, w2.heldCameras().length]).toEqual([2, 2]);
    // Rounds every 5 s until the load window (30 s) is full with the cameras held now.
    for (let i = 0; i < 8; i += 1) {
      clock.t += 5_000;
      await w1.tick();
      await w2.tick();
    }
    return { clock, leases, w1, w2 };
  }

  it('a saturated worker takes no new camera: the one added goes to the worker with room', async () => {
    // w1 analyses every frame but its queues run 3 frame intervals behind: saturated, keeps its 2.
    const { leases, w1, w2 } = await twoWorkers({ share: 1, behind: 3 });
    expect(w1.snapshot().load).toMatchObject({ saturated: true, capacity: 2, capacityReason: 'saturated' });
    expect(w2.snapshot().load).toMatchObject({ saturated: false, capacity: 10, capacityReason: 'room' });
    leases.set('cam5', { worker: null, expires: 0, generation: 0 });
    // w1 rounds first: by the even split (5 over 2, the extra to the first by id) it would take cam5.
    await w1.tick();
    await w2.tick();
    expect(w1.heldCameras()).toHaveLength(2);
    expect(w2.heldCameras()).toContain('cam5');
    expect(w2.heldCameras()).toHaveLength(3);
    await w1.stop();
    await w2.stop();
  });

  it('an overloaded worker gives up the cameras its throughput does not cover, and the worker with room takes them', async () => {
    // w1 analyses half its frames: with 2 cameras it covers one (2 × 0.5 / 0.9 = 1.1).
    const { w1, w2 } = await twoWorkers({ share: 0.5, behind: 4 });
    await w1.tick();
    await w2.tick();
    expect(w1.snapshot().load).toMatchObject({ capacity: 1, maxCapacity: 10 });
    expect(w1.heldCameras()).toHaveLength(1);
    expect(w2.heldCameras()).toHaveLength(3);
    await w1.stop();
    await w2.stop();
  });
});
