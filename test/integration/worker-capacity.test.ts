/**
 * Measured capacity on the real database: two LeaseManagers share the camera leases of a throwaway
 * MariaDB database (DB_LEASE_STORE, as the worker uses it). One reports a saturated load; its
 * heartbeat writes the capacity it has room for, and a camera added later goes to the other worker.
 * Rounds are driven by hand with a test clock for the load window; lease expiry is the database's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { listCamerasWithLeases } from '@/lib/data/camera-leases';
import { listWorkers } from '@/lib/data/workers';
import { createLogger } from '@/lib/log';
import { DB_LEASE_STORE, LeaseManager } from '@/lib/recognition/lease-manager';
import type { CameraLoadSample } from '@/lib/recognition/worker-load';
import { makeCamera } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const clock = { t: 0 };
const managers: LeaseManager[] = [];

/** A worker whose held cameras each deliver 5 fps since t = 0, its oldest queued frame `behind` frame intervals old. */
function worker(workerId: string, behind: number): LeaseManager {
  const m: LeaseManager = new LeaseManager({
    workerId,
    internalUrl: `http://127.0.0.1:1/${workerId}`,
    capacity: 50,
    load: (): CameraLoadSample[] =>
      m.heldCameras().map((cameraId) => ({
        cameraId,
        arrived: Math.floor(clock.t / 200),
        analysed: Math.floor(clock.t / 200),
        oldestQueuedMs: behind * 200,
      })),
    ttlMs: 60_000,
    store: DB_LEASE_STORE,
    log: createLogger('test'),
    now: () => clock.t,
  });
  managers.push(m);
  return m;
}

afterAll(async () => {
  for (const m of managers) await m.stop();
});

describe('worker capacity from measured load (real database)', () => {
  it('a saturated worker heartbeats the cameras it holds as its capacity, and a new camera goes to the other worker', async () => {
    for (let i = 0; i < 4; i += 1) await makeCamera({ mode: 'push', name: `cap-${i}` });
    const busy = worker('w-a-busy', 3); // its queues run 3 frame intervals behind: saturated
    const idle = worker('w-b-idle', 0);
    await busy.tick();
    await idle.tick();
    await busy.tick(); // sees the other worker live: gives up its extras
    await idle.tick();
    expect([busy.heldCameras().length, idle.heldCameras().length]).toEqual([2, 2]);
    // Rounds every 5 s (test clock) until the 30 s load window is full.
    for (let i = 0; i < 8; i += 1) {
      clock.t += 5_000;
      await busy.tick();
      await idle.tick();
    }
    expect(busy.snapshot().load).toMatchObject({ saturated: true, capacity: 2, capacityReason: 'saturated' });
    const rows = await listWorkers(60_000);
    expect(rows.map((w) => [w.workerId, w.capacity])).toEqual([
      ['w-a-busy', 2],
      ['w-b-idle', 50],
    ]);

    const added = await makeCamera({ mode: 'push', name: 'cap-new' });
    // The busy worker rounds first: by the even split (5 over 2, the extra to the first by id) it would take it.
    await busy.tick();
    await idle.tick();
    const owner = new Map((await listCamerasWithLeases()).map((c) => [c.cameraId, c.workerId]));
    expect(owner.get(added.cameraId)).toBe('w-b-idle');
    expect(busy.heldCameras()).toHaveLength(2);
    expect(idle.heldCameras()).toHaveLength(3);
  });
});
