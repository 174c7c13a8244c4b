import 'server-only';
import { sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { utcDate } from './camera-leases';

export interface WorkerInfo {
  workerId: string;
  internalUrl: string;
  capacity: number;
  startedAt: Date;
  lastSeenAt: Date;
  /** Seen within the lease TTL (by the database's clock). */
  live: boolean;
}

/** The worker's heartbeat: its row is created or refreshed with the database's NOW(3). */
export async function heartbeatWorker(w: {
  workerId: string;
  internalUrl: string;
  capacity: number;
  startedAt: Date;
}): Promise<void> {
  await runDb('workers.heartbeat', (db) =>
    db.execute(sql`INSERT INTO workers (worker_id, internal_url, capacity, started_at, last_seen_at) VALUES (${w.workerId}, ${w.internalUrl}, ${w.capacity}, ${w.startedAt}, NOW(3))
      ON DUPLICATE KEY UPDATE internal_url = VALUES(internal_url), capacity = VALUES(capacity), started_at = VALUES(started_at), last_seen_at = NOW(3)`),
  );
}

/** Workers seen within `liveMs` are live; rows of workers gone for a day are deleted on the way. */
export async function listWorkers(liveMs: number): Promise<WorkerInfo[]> {
  return runDb('workers.list', async (db) => {
    await db.execute(sql`DELETE FROM workers WHERE last_seen_at < NOW(3) - INTERVAL 1 DAY`);
    const [rows] = (await db.execute(
      sql`SELECT worker_id, internal_url, capacity, started_at, last_seen_at, last_seen_at > NOW(3) - INTERVAL ${Math.round(liveMs * 1000)} MICROSECOND AS live FROM workers ORDER BY worker_id`,
    )) as unknown as [
      Array<{
        worker_id: string;
        internal_url: string;
        capacity: number;
        started_at: Date | string;
        last_seen_at: Date | string;
        live: number;
      }>,
    ];
    return rows.map((r) => ({
      workerId: r.worker_id,
      internalUrl: r.internal_url,
      capacity: Number(r.capacity),
      startedAt: utcDate(r.started_at) as Date,
      lastSeenAt: utcDate(r.last_seen_at) as Date,
      live: Number(r.live) === 1,
    }));
  });
}

/** A worker stopping cleanly: it drops out of the live set at once instead of after the TTL. */
export async function retireWorker(workerId: string): Promise<void> {
  await runDb('workers.retire', (db) =>
    db.execute(sql`UPDATE workers SET last_seen_at = NOW(3) - INTERVAL 1 HOUR WHERE worker_id = ${workerId}`),
  );
}
