import { index, mysqlEnum, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, jsonColumn, updatedAt, utcDatetime, uuidPk } from './columns';

export const CAMERA_MODES = ['pull', 'push'] as const;
export const CAMERA_STATUSES = ['unknown', 'online', 'offline', 'error'] as const;
/** What a doubtful liveness does to a recognised face: nothing, mark the attendance for review, or record nothing and queue it. */
export const LIVENESS_MODES = ['off', 'flag', 'block'] as const;
export type LivenessMode = (typeof LIVENESS_MODES)[number];
/** A camera's liveness mode unless an admin sets another: a doubtful face is recorded and marked for review. */
export const DEFAULT_LIVENESS_MODE: LivenessMode = 'flag';

export const cameras = mysqlTable(
  'cameras',
  {
    cameraId: uuidPk('camera_id'),
    name: varchar('name', { length: 128 }).notNull(),
    room: varchar('room', { length: 64 }),
    /** pull: the worker reads `stream_url` (MJPEG); push: the device POSTs JPEGs with its token. */
    mode: mysqlEnum('mode', CAMERA_MODES).notNull().default('pull'),
    streamUrl: varchar('stream_url', { length: 1024 }),
    snapshotUrl: varchar('snapshot_url', { length: 1024 }),
    /** Hash of the push token; the token itself is shown once. */
    tokenHash: varchar('token_hash', { length: 255 }),
    /** First characters of the token, to find the row before comparing the hash. */
    tokenPrefix: varchar('token_prefix', { length: 16 }),
    lastSeenAt: utcDatetime('last_seen_at'),
    /** Last heartbeat from a pushing device and what it reported (RSSI, free heap, uptime…). */
    lastHeartbeatAt: utcDatetime('last_heartbeat_at'),
    heartbeat: jsonColumn<Record<string, unknown>>('heartbeat'),
    status: mysqlEnum('status', CAMERA_STATUSES).notNull().default('unknown'),
    liveness: mysqlEnum('liveness', LIVENESS_MODES).notNull().default(DEFAULT_LIVENESS_MODE),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('cameras_name_unique').on(t.name), index('cameras_token_prefix_idx').on(t.tokenPrefix)],
);

export type Camera = typeof cameras.$inferSelect;
export type NewCamera = typeof cameras.$inferInsert;
