import { describe, expect, it } from 'vitest';
import type { HeldLease, LeaseFence } from '@/lib/data/camera-leases';
import { createLogger } from '@/lib/log';
import { LeaseManager, fairShare, type LeaseStore } from './lease-manager';

describe('fairShare', () => {
  const counts = (o: Record<string, number>) => new Map(Object.entries(o));
  it('spreads cameras so that counts differ by at most one, extras to those already holding most', () => {
    const live = ['a', 'b', 'c'];
    const share = (id: string, c: Record<string, number>, cameras: number) =>
      fairShare({ workerId: id, capacity: 100 }, live, counts(c), cameras);
    expect(live.map((id) => share(id, {}, 6))).toEqual([2, 2, 2]);
    expect(live.map((id) => share(id, { c: 3, a: 2, b: 2 }, 7))).toEqual([2, 2, 3]);
    expect(live.map((id) => share(id, {}, 7))).toEqual([3, 2, 2]);
    expect(fairShare({ workerId: 'a', capacity: 1 }, live, counts({}), 9)).toBe(1);
    // A worker not yet in the live list (its first heartbeat) counts itself.
    expect(fairShare({ workerId: 'd', capacity: 100 }, live, counts({ a: 2, b: 2, c: 2 }), 6)).toBe(1);
  });
});

/** One camera table in memory with a clock the test moves (the "database"). */
function memoryStore(clock: { t: number }) {
  const leases = new Map<string, { worker: string | null; expires: number; generation: number }>();
  const store: LeaseStore & { fail: boolean } = {
    fail: false,
    heartbeat: async () => {
      if (store.fail) throw new Error('database away');
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
    workers: async () => [
      { workerId: 'w1', internalUrl: '', capacity: 10, startedAt: new Date(), lastSeenAt: new Date(), live: true },
    ],
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
