import { bigint, index, int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { cameras } from './cameras';
import { createdAt, utcDatetime, uuidRef } from './columns';

/** The recognition workers, each heartbeating every LEASE_TTL_SECONDS / 3; live = seen within the TTL. */
export const workers = mysqlTable(
  'workers',
  {
    /** WORKER_ID: hostname:port unless configured. */
    workerId: varchar('worker_id', { length: 128 }).primaryKey(),
    /** Where the web app reaches this worker (pushed frames, last frames, /healthz). */
    internalUrl: varchar('internal_url', { length: 512 }).notNull(),
    /** Most cameras this worker takes now: WORKER_CAPACITY, or less when its measured load says so (worker-load.ts). */
    capacity: int('capacity').notNull(),
    startedAt: utcDatetime('started_at').notNull(),
    lastSeenAt: utcDatetime('last_seen_at').notNull(),
  },
  (t) => [index('workers_last_seen_idx').on(t.lastSeenAt)],
);

/**
 * One row per camera: which worker processes it until when. A lease is valid while `expires_at` is
 * in the future by the database's clock; `generation` grows at every change of owner and fences the
 * writes made for the camera (a write checks it in its own transaction).
 */
export const cameraLeases = mysqlTable(
  'camera_leases',
  {
    cameraId: uuidRef('camera_id')
      .primaryKey()
      .references(() => cameras.cameraId, { onDelete: 'cascade' }),
    workerId: varchar('worker_id', { length: 128 }),
    expiresAt: utcDatetime('expires_at'),
    generation: bigint('generation', { mode: 'number', unsigned: true }).notNull().default(0),
    claimedAt: utcDatetime('claimed_at'),
  },
  (t) => [index('camera_leases_worker_idx').on(t.workerId, t.expiresAt)],
);

/**
 * Work that must happen once across all workers (a notification, a backup, a purge): the worker
 * whose insert of the event's key succeeds does it; the others see the duplicate key and skip it.
 */
export const eventClaims = mysqlTable(
  'event_claims',
  {
    eventKey: varchar('event_key', { length: 191 }).primaryKey(),
    claimedBy: varchar('claimed_by', { length: 128 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('event_claims_created_idx').on(t.createdAt)],
);

export type WorkerRow = typeof workers.$inferSelect;
export type CameraLease = typeof cameraLeases.$inferSelect;
