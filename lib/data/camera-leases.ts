import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { runDb, type Db, type Tx } from '@/db/client';
import { AppError } from '@/lib/errors';

/**
 * Camera leases: which worker processes which camera, coordinated by the database alone. Every
 * time comparison uses the database's clock (NOW(3)), so workers' clocks never need to agree.
 * Claims take rows with SELECT … FOR UPDATE SKIP LOCKED, so workers claiming at the same moment
 * take different cameras instead of waiting for each other.
 */

/** What a write made for a camera carries: it is refused unless this is still the camera's lease. */
export interface LeaseFence {
  cameraId: string;
  workerId: string;
  generation: number;
}

export interface HeldLease {
  cameraId: string;
  generation: number;
}

type Runner = Pick<Db, 'execute'> | Tx;

const until = (ttlMs: number) => sql`NOW(3) + INTERVAL ${Math.round(ttlMs * 1000)} MICROSECOND`;

async function rows<T>(db: Runner, query: SQL): Promise<T[]> {
  const [result] = (await db.execute(query)) as unknown as [T[]];
  return result;
}

async function affected(db: Runner, query: SQL): Promise<number> {
  const [result] = (await db.execute(query)) as unknown as [{ affectedRows: number }];
  return result.affectedRows;
}

/** A DATETIME from a raw query: the driver hands these back as UTC strings ('YYYY-MM-DD hh:mm:ss.fff'). */
export function utcDate(v: Date | string | null): Date | null {
  if (v === null || v instanceof Date) return v;
  return new Date(`${v.replace(' ', 'T')}Z`);
}

const held = (r: { camera_id: string; generation: number | string }): HeldLease => ({
  cameraId: r.camera_id,
  generation: Number(r.generation),
});

/** Gives every camera its lease row (a camera added since the last call); returns how many were added. */
export async function ensureLeaseRows(): Promise<number> {
  return runDb('leases.ensureRows', (db) =>
    affected(
      db,
      sql`INSERT IGNORE INTO camera_leases (camera_id) SELECT c.camera_id FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.camera_id WHERE l.camera_id IS NULL`,
    ),
  );
}

/**
 * Extends every unexpired lease of `workerId` by `ttlMs` and returns the leases it holds now. A
 * lease that expired meanwhile (a paused worker) is not renewed: it may already be someone else's.
 */
export async function renewLeases(workerId: string, ttlMs: number): Promise<HeldLease[]> {
  return runDb('leases.renew', async (db) => {
    await db.execute(
      sql`UPDATE camera_leases SET expires_at = ${until(ttlMs)} WHERE worker_id = ${workerId} AND expires_at > NOW(3)`,
    );
    const r = await rows<{ camera_id: string; generation: number }>(
      db,
      sql`SELECT camera_id, generation FROM camera_leases WHERE worker_id = ${workerId} AND expires_at > NOW(3)`,
    );
    return r.map(held);
  });
}

/**
 * Takes up to `limit` cameras that nobody holds (never leased, released, or expired) in one
 * transaction; each one's generation grows, which fences any write still on its way from the old
 * holder. Returns the leases taken.
 */
export async function claimLeases(workerId: string, ttlMs: number, limit: number): Promise<HeldLease[]> {
  if (limit <= 0) return [];
  return runDb('leases.claim', (db) =>
    db.transaction(async (tx) => {
      const free = await rows<{ camera_id: string }>(
        tx,
        sql`SELECT camera_id FROM camera_leases WHERE worker_id IS NULL OR expires_at IS NULL OR expires_at <= NOW(3) ORDER BY camera_id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      );
      if (free.length === 0) return [];
      const ids = sql.join(
        free.map((f) => sql`${f.camera_id}`),
        sql`, `,
      );
      await tx.execute(
        sql`UPDATE camera_leases SET worker_id = ${workerId}, expires_at = ${until(ttlMs)}, generation = generation + 1, claimed_at = NOW(3) WHERE camera_id IN (${ids})`,
      );
      return (
        await rows<{ camera_id: string; generation: number }>(
          tx,
          sql`SELECT camera_id, generation FROM camera_leases WHERE camera_id IN (${ids})`,
        )
      ).map(held);
    }),
  );
}

/** Gives the camera up (after its processing has stopped); false when it was no longer this lease. */
export async function releaseLease(fence: LeaseFence): Promise<boolean> {
  return runDb(
    'leases.release',
    async (db) =>
      (await affected(
        db,
        sql`UPDATE camera_leases SET worker_id = NULL, expires_at = NULL WHERE camera_id = ${fence.cameraId} AND worker_id = ${fence.workerId} AND generation = ${fence.generation}`,
      )) > 0,
  );
}

/**
 * Inside a write's transaction: throws unless `fence` is still the camera's valid lease. The row is
 * share-locked until the transaction ends, so no claim can take the camera between this check and
 * the write's commit.
 */
export async function assertLeaseHeld(tx: Runner, fence: LeaseFence): Promise<void> {
  const r = await rows<{ ok: number }>(
    tx,
    sql`SELECT 1 AS ok FROM camera_leases WHERE camera_id = ${fence.cameraId} AND worker_id = ${fence.workerId} AND generation = ${fence.generation} AND expires_at > NOW(3) LOCK IN SHARE MODE`,
  );
  if (r.length === 0)
    throw new AppError(
      'CONFLICT',
      `camera ${fence.cameraId} is no longer leased to worker ${fence.workerId}; the write was refused`,
      { details: { reason: 'lease-lost' } },
    );
}

export interface LeaseCounts {
  /** Rows in `cameras`. */
  cameras: number;
  /** Cameras with a lease row (all of them, once ensureLeaseRows ran). */
  leaseRows: number;
  /** Valid leases per worker id. */
  byWorker: Map<string, number>;
}

export async function leaseCounts(): Promise<LeaseCounts> {
  return runDb('leases.counts', async (db) => {
    const [total] = await rows<{ cameras: number; leases: number }>(
      db,
      sql`SELECT (SELECT COUNT(*) FROM cameras) AS cameras, (SELECT COUNT(*) FROM camera_leases) AS leases`,
    );
    const per = await rows<{ worker_id: string; n: number }>(
      db,
      sql`SELECT worker_id, COUNT(*) AS n FROM camera_leases WHERE worker_id IS NOT NULL AND expires_at > NOW(3) GROUP BY worker_id`,
    );
    return {
      cameras: Number(total?.cameras ?? 0),
      leaseRows: Number(total?.leases ?? 0),
      byWorker: new Map(per.map((p) => [p.worker_id, Number(p.n)])),
    };
  });
}

/** The internal URL of the worker holding a valid lease on the camera, or null when nobody does. */
export async function findCameraOwnerUrl(cameraId: string): Promise<string | null> {
  return runDb('leases.ownerUrl', async (db) => {
    const [r] = await rows<{ internal_url: string }>(
      db,
      sql`SELECT w.internal_url FROM camera_leases l JOIN workers w ON w.worker_id = l.worker_id WHERE l.camera_id = ${cameraId} AND l.expires_at > NOW(3) LIMIT 1`,
    );
    return r?.internal_url ?? null;
  });
}

export interface CameraWithLease {
  cameraId: string;
  name: string;
  room: string | null;
  mode: 'pull' | 'push';
  status: string;
  lastSeenAt: Date | null;
  /** Null when no worker holds a valid lease. */
  workerId: string | null;
  leaseExpiresAt: Date | null;
}

/** Every camera with the worker processing it now (the CLI's `cameras list`, the cameras page). */
export async function listCamerasWithLeases(): Promise<CameraWithLease[]> {
  return runDb('leases.listCameras', async (db) => {
    const r = await rows<{
      camera_id: string;
      name: string;
      room: string | null;
      mode: 'pull' | 'push';
      status: string;
      last_seen_at: Date | string | null;
      worker_id: string | null;
      expires_at: Date | string | null;
      valid: number | null;
    }>(
      db,
      sql`SELECT c.camera_id, c.name, c.room, c.mode, c.status, c.last_seen_at, l.worker_id, l.expires_at, l.expires_at > NOW(3) AS valid
          FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.camera_id ORDER BY c.name`,
    );
    // Validity by the database's clock; an expired lease shows as no owner.
    return r.map((c) => ({
      cameraId: c.camera_id,
      name: c.name,
      room: c.room,
      mode: c.mode,
      status: c.status,
      lastSeenAt: utcDate(c.last_seen_at),
      workerId: Number(c.valid) === 1 ? c.worker_id : null,
      leaseExpiresAt: Number(c.valid) === 1 ? utcDate(c.expires_at) : null,
    }));
  });
}
