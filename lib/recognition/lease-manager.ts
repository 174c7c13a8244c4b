/**
 * This worker's side of the camera leases (lib/data/camera-leases.ts). Every LEASE_TTL/3 one round:
 * measure the load (worker-load.ts) → heartbeat with the capacity it allows → renew → take or give up
 * cameras towards a fair share (fair-share.ts). A camera runs here only while
 * its lease is provably valid: the local deadline is the moment the renewal was *sent* plus the TTL,
 * never later than the database's expiry, and the monotonic clock keeps running while the process
 * is paused (SIGSTOP), so a paused worker finds its deadlines passed the instant it runs again.
 * Every write for a camera also carries the lease (`fence`) and the database refuses it once the
 * lease is gone, so even a write already on its way when the lease is lost never lands.
 */
import {
  claimLeases,
  ensureLeaseRows,
  leaseCounts,
  releaseLease,
  renewLeases,
  type HeldLease,
  type LeaseCounts,
  type LeaseFence,
} from '@/lib/data/camera-leases';
import { heartbeatWorker, listWorkers, retireWorker, type WorkerInfo } from '@/lib/data/workers';
import type { Logger } from '@/lib/log';
import { fairShare } from './fair-share';
import { CapacityRule, LoadMeter, type CameraLoadSample, type CapacityReason, type WorkerLoad } from './worker-load';

export interface LeaseStore {
  heartbeat(w: { workerId: string; internalUrl: string; capacity: number; startedAt: Date }): Promise<void>;
  ensureRows(): Promise<number>;
  renew(workerId: string, ttlMs: number): Promise<HeldLease[]>;
  claim(workerId: string, ttlMs: number, limit: number): Promise<HeldLease[]>;
  release(fence: LeaseFence): Promise<boolean>;
  counts(): Promise<LeaseCounts>;
  workers(liveMs: number): Promise<WorkerInfo[]>;
  retire(workerId: string): Promise<void>;
}

/** The leases in the database (lib/data/camera-leases.ts, lib/data/workers.ts). */
export const DB_LEASE_STORE: LeaseStore = {
  heartbeat: heartbeatWorker,
  ensureRows: ensureLeaseRows,
  renew: renewLeases,
  claim: claimLeases,
  release: releaseLease,
  counts: leaseCounts,
  workers: listWorkers,
  retire: retireWorker,
};

export type LeaseChange = 'claimed' | 'released' | 'lost' | 'expired';
export type StopReason = 'rebalance' | 'lost' | 'expired';

export interface LeaseManagerOptions {
  workerId: string;
  internalUrl: string;
  /** Most cameras this worker ever takes (WORKER_CAPACITY); below it, its measured load decides (worker-load.ts). */
  capacity: number;
  /** The counters of the cameras running here, read at every round; without it the capacity is `capacity`. */
  load?: () => CameraLoadSample[];
  ttlMs: number;
  store: LeaseStore;
  log: Logger;
  onChange?: (change: LeaseChange, cameraId: string) => void;
  /** Valid leases per live worker after each round (metrics). */
  onCounts?: (byWorker: Map<string, number>) => void;
  /** Monotonic milliseconds; performance.now() by default. */
  now?: () => number;
}

/** What the worker does with the cameras the leases hand it (given to `start`). */
export interface LeasedCameras {
  /** Start processing cameras just leased. */
  onAcquired: (cameraIds: string[]) => Promise<void>;
  /** Stop processing a camera; called synchronously when its lease is gone (no frame may be taken after). */
  onStopped: (cameraId: string, reason: StopReason) => Promise<void>;
  /** Before a camera is given up gracefully: let its pending writes land while the lease is still ours. */
  beforeRelease?: (cameraId: string) => Promise<void>;
}

/** The load figures in /healthz (`pipeline.leases.load`) and on the cameras page. */
export type WorkerLoadReport = WorkerLoad & {
  /** The capacity this worker heartbeats now. */
  capacity: number;
  /** WORKER_CAPACITY: the hard upper bound. */
  maxCapacity: number;
  capacityReason: CapacityReason;
};

export type FenceState = LeaseFence | 'lost' | 'unknown';

export class LeaseManager {
  private readonly held = new Map<string, { generation: number; deadline: number }>();
  /** Cameras whose local deadline passed without a renewal: maybe still ours, maybe not (database away). */
  private readonly expired = new Set<string>();
  private readonly startedAt = new Date();
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  private round: Promise<void> | null = null;
  private stopped = false;
  private lastCounts = new Map<string, number>();
  private lastTarget = 0;
  private readonly meter = new LoadMeter();
  private readonly rule: CapacityRule;
  private capacity: { capacity: number; reason: CapacityReason };
  private lastLoad: WorkerLoad | null = null;
  /** Set by `start`; rounds driven by hand before it (bench/leases.ts) only count leases. */
  private cameras: LeasedCameras = { onAcquired: async () => undefined, onStopped: async () => undefined };

  constructor(private readonly opts: LeaseManagerOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.rule = new CapacityRule(opts.capacity);
    this.capacity = { capacity: opts.capacity, reason: opts.load ? 'measuring' : 'room' };
  }

  get workerId(): string {
    return this.opts.workerId;
  }

  /**
   * Hands leased cameras to `cameras` from now on, runs the first round (throws if the database
   * cannot be reached), then keeps renewing.
   */
  async start(cameras: LeasedCameras): Promise<void> {
    this.cameras = cameras;
    await this.tick({ throwOnError: true });
    const every = Math.max(200, Math.floor(this.opts.ttlMs / 3));
    this.timers = [
      setInterval(() => void this.tick(), every),
      // Between rounds: a deadline passing (renewals failing, or a pause) stops the camera promptly.
      setInterval(() => this.expireOverdue(), Math.min(250, Math.floor(every / 4))),
    ];
    for (const t of this.timers) t.unref();
  }

  /** The lease a write for `cameraId` must carry; 'lost' (refuse the write) or 'unknown' (retry later). */
  fence(cameraId: string): FenceState {
    this.expireOverdue();
    const h = this.held.get(cameraId);
    if (h) return { cameraId, workerId: this.opts.workerId, generation: h.generation };
    return this.expired.has(cameraId) ? 'unknown' : 'lost';
  }

  /** Whether this worker may act for the camera right now. */
  holds(cameraId: string): boolean {
    this.expireOverdue();
    return this.held.has(cameraId);
  }

  heldCameras(): string[] {
    return [...this.held.keys()];
  }

  snapshot(): {
    workerId: string;
    cameras: string[];
    target: number;
    workers: Record<string, number>;
    load: WorkerLoadReport;
  } {
    this.expireOverdue();
    return {
      workerId: this.opts.workerId,
      cameras: this.heldCameras(),
      target: this.lastTarget,
      workers: Object.fromEntries(this.lastCounts),
      load: {
        ...(this.lastLoad ?? new LoadMeter().load()),
        capacity: this.capacity.capacity,
        maxCapacity: this.opts.capacity,
        capacityReason: this.capacity.reason,
      },
    };
  }

  /** Stops renewing, gives every camera up (their processing must have stopped) and leaves the live set. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.round;
    const leases = [...this.held.entries()];
    this.held.clear();
    for (const [cameraId, h] of leases) {
      await this.opts.store
        .release({ cameraId, workerId: this.opts.workerId, generation: h.generation })
        .catch(() => false);
      this.opts.onChange?.('released', cameraId);
    }
    await this.opts.store.retire(this.opts.workerId).catch(() => undefined);
  }

  /** One round; rounds never overlap (a slow database skips a beat instead of piling up). */
  tick(options: { throwOnError?: boolean } = {}): Promise<void> {
    if (this.round) return this.round;
    this.round = this.runRound()
      .catch((err: unknown) => {
        if (options.throwOnError) throw err;
        this.opts.log.warn(
          { err: err instanceof Error ? err.message : String(err), held: this.held.size },
          'camera lease round failed; cameras stop when their leases run out',
        );
      })
      .finally(() => {
        this.round = null;
        this.expireOverdue();
      });
    return this.round;
  }

  private lose(cameraId: string, reason: 'lost' | 'expired'): void {
    if (!this.held.delete(cameraId)) return;
    if (reason === 'expired') this.expired.add(cameraId);
    else this.expired.delete(cameraId);
    this.opts.onChange?.(reason, cameraId);
    this.opts.log.warn(
      { cameraId, reason },
      reason === 'lost'
        ? 'camera lease lost to another worker; camera stopped'
        : 'camera lease not renewed in time; camera stopped',
    );
    void this.cameras
      .onStopped(cameraId, reason)
      .catch((err: unknown) => this.opts.log.error({ err, cameraId }, 'camera did not stop cleanly'));
  }

  private expireOverdue(): void {
    const t = this.now();
    for (const [cameraId, h] of this.held) if (t >= h.deadline) this.lose(cameraId, 'expired');
  }

  private async runRound(): Promise<void> {
    if (this.stopped) return;
    const { store, workerId, ttlMs, log } = this.opts;
    const sent = this.now();
    if (this.opts.load) {
      this.meter.record(sent, this.opts.load());
      this.lastLoad = this.meter.load();
      const before = this.capacity.capacity;
      this.capacity = this.rule.decide(sent, this.held.size, this.lastLoad);
      if (this.capacity.capacity !== before)
        log.info(
          {
            capacity: this.capacity.capacity,
            was: before,
            reason: this.capacity.reason,
            held: this.held.size,
            load: this.lastLoad,
          },
          'worker capacity changed by its measured load',
        );
    }
    await store.heartbeat({
      workerId,
      internalUrl: this.opts.internalUrl,
      capacity: this.capacity.capacity,
      startedAt: this.startedAt,
    });
    const renewed = await store.renew(workerId, ttlMs);
    if (this.stopped) return;
    const deadline = sent + ttlMs;
    const mine = new Map(renewed.map((l) => [l.cameraId, l.generation]));
    for (const [cameraId, h] of this.held) if (mine.get(cameraId) !== h.generation) this.lose(cameraId, 'lost');
    const adopted: string[] = [];
    for (const l of renewed) {
      const h = this.held.get(l.cameraId);
      if (h) h.deadline = deadline;
      else {
        // Still ours by the database (a restart under the same WORKER_ID, or a local deadline that passed first).
        this.held.set(l.cameraId, { generation: l.generation, deadline });
        this.expired.delete(l.cameraId);
        adopted.push(l.cameraId);
      }
    }
    if (adopted.length > 0) await this.cameras.onAcquired(adopted);

    let counts = await store.counts();
    if (counts.leaseRows !== counts.cameras) {
      await store.ensureRows();
      counts = await store.counts();
    }
    const liveWorkers = (await store.workers(ttlMs)).filter((w) => w.live);
    const live = liveWorkers.map((w) => w.workerId);
    const target = fairShare(
      { workerId, capacity: this.capacity.capacity, maxCapacity: this.opts.capacity },
      liveWorkers,
      counts.byWorker,
      counts.cameras,
    );
    this.lastTarget = target;
    if (this.held.size > target) {
      const extras = [...this.held.keys()].sort().slice(target);
      for (const cameraId of extras) await this.release(cameraId);
    } else if (this.held.size < target) {
      const claimStart = this.now();
      const claimed = await store.claim(workerId, ttlMs, target - this.held.size);
      for (const l of claimed) {
        this.held.set(l.cameraId, { generation: l.generation, deadline: claimStart + ttlMs });
        this.expired.delete(l.cameraId);
        this.opts.onChange?.('claimed', l.cameraId);
      }
      if (claimed.length > 0) {
        log.info({ cameras: claimed.map((l) => l.cameraId), held: this.held.size, target }, 'camera leases claimed');
        await this.cameras.onAcquired(claimed.map((l) => l.cameraId));
      }
    }
    // What expired locally and was neither renewed nor claimed back is someone else's (or nobody's)
    // now: writes still waiting for it are refused from here on. Decided only at the end of the round,
    // so a worker that takes its camera back (the database was away) keeps them.
    for (const cameraId of this.expired) if (!this.held.has(cameraId)) this.expired.delete(cameraId);
    const after = new Map(counts.byWorker);
    after.set(workerId, this.held.size);
    this.lastCounts = new Map([...after].filter(([id]) => live.includes(id) || id === workerId));
    this.opts.onCounts?.(this.lastCounts);
  }

  /** Rebalance: processing stops first, pending writes land, then the lease is given up. */
  private async release(cameraId: string): Promise<void> {
    const h = this.held.get(cameraId);
    if (!h) return;
    await this.cameras.onStopped(cameraId, 'rebalance');
    await this.cameras.beforeRelease?.(cameraId);
    if (!this.held.has(cameraId)) return; // expired meanwhile
    this.held.delete(cameraId);
    await this.opts.store.release({ cameraId, workerId: this.opts.workerId, generation: h.generation });
    this.opts.onChange?.('released', cameraId);
    this.opts.log.info({ cameraId, held: this.held.size }, 'camera lease released to rebalance');
  }
}
