import 'server-only';
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { cameras, classSessions, type Camera, type NewCamera } from '@/db/schema';
import { env } from '@/lib/env';
import { AppError, localized } from '@/lib/errors';
import { audited } from './audit';

export type CameraInput = Pick<NewCamera, 'name' | 'room' | 'mode' | 'streamUrl' | 'snapshotUrl' | 'liveness'>;

export async function getCameraOrThrow(cameraId: string): Promise<Camera> {
  const camera = await runDb('cameras.get', async (db) => {
    const [row] = await db.select().from(cameras).where(eq(cameras.cameraId, cameraId)).limit(1);
    return row;
  });
  if (!camera) throw new AppError('NOT_FOUND', localized('error.notFound.camera'), { details: { cameraId } });
  return camera;
}

export async function findCameraByName(name: string): Promise<Camera | undefined> {
  return runDb('cameras.findByName', async (db) => {
    const [row] = await db.select().from(cameras).where(eq(cameras.name, name)).limit(1);
    return row;
  });
}

/** A push token as stored: its display prefix and its hash (the token itself is never stored). */
export interface StoredPushToken {
  prefix: string;
  hash: string;
}

/** Inserts the camera (a push camera with its token's hash) and its 'camera.create' audit entry in one transaction. */
export async function createCamera(
  input: CameraInput,
  token: StoredPushToken | null,
  actorUserId: string | null,
): Promise<Camera> {
  const cameraId = crypto.randomUUID();
  await audited(
    'cameras.create',
    {
      actorUserId,
      action: 'camera.create',
      entity: 'cameras',
      entityId: cameraId,
      details: { name: input.name, mode: input.mode },
    },
    async (tx) => {
      await tx
        .insert(cameras)
        .values({ ...input, cameraId, tokenPrefix: token?.prefix ?? null, tokenHash: token?.hash ?? null });
    },
  );
  return getCameraOrThrow(cameraId);
}

/** Inserts the camera unless one with the same name exists; returns the stored row. */
export async function ensureCameraByName(input: CameraInput): Promise<{ camera: Camera; created: boolean }> {
  const existing = await findCameraByName(input.name);
  if (existing) return { camera: existing, created: false };
  const cameraId = crypto.randomUUID();
  await runDb('cameras.ensure', (db) =>
    db
      .insert(cameras)
      .values({ ...input, cameraId })
      .onDuplicateKeyUpdate({ set: { name: input.name } }),
  );
  const camera = await findCameraByName(input.name);
  if (!camera) throw new Error(`camera ${input.name} vanished after insert`);
  return { camera, created: camera.cameraId === cameraId };
}

export async function listCameras(): Promise<Camera[]> {
  return runDb('cameras.list', (db) => db.select().from(cameras).orderBy(asc(cameras.name)));
}

/** Heartbeat from the worker or a pushing device. */
export async function markCameraSeen(
  cameraId: string,
  status: Camera['status'] = 'online',
  at = new Date(),
): Promise<void> {
  await runDb('cameras.seen', (db) =>
    db.update(cameras).set({ lastSeenAt: at, status }).where(eq(cameras.cameraId, cameraId)),
  );
}

export type CameraPatch = Partial<Pick<Camera, 'name' | 'room' | 'mode' | 'streamUrl' | 'snapshotUrl' | 'liveness'>>;

export async function updateCamera(cameraId: string, patch: CameraPatch, actorUserId: string | null): Promise<Camera> {
  await getCameraOrThrow(cameraId);
  if (Object.keys(patch).length > 0) {
    await audited(
      'cameras.update',
      { actorUserId, action: 'camera.update', entity: 'cameras', entityId: cameraId, details: patch },
      async (tx) => {
        await tx.update(cameras).set(patch).where(eq(cameras.cameraId, cameraId));
      },
    );
  }
  return getCameraOrThrow(cameraId);
}

/** Sessions that still need this camera: scheduled or running, not yet ended. */
export async function countUpcomingSessionsOfCamera(cameraId: string, now = new Date()): Promise<number> {
  const [row] = await runDb('cameras.upcomingSessions', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(classSessions)
      .where(
        and(
          eq(classSessions.cameraId, cameraId),
          inArray(classSessions.status, ['scheduled', 'open']),
          gt(classSessions.endsAt, now),
        ),
      ),
  );
  return Number(row?.n ?? 0);
}

/** Upcoming or running sessions per camera id (cameras page: what a delete would leave without a camera). */
export async function upcomingSessionCounts(now = new Date()): Promise<Record<string, number>> {
  const rows = await runDb('cameras.upcomingCounts', (db) =>
    db
      .select({ cameraId: classSessions.cameraId, n: sql<number>`count(*)` })
      .from(classSessions)
      .where(and(inArray(classSessions.status, ['scheduled', 'open']), gt(classSessions.endsAt, now)))
      .groupBy(classSessions.cameraId),
  );
  return Object.fromEntries(rows.filter((r) => r.cameraId).map((r) => [r.cameraId!, Number(r.n)]));
}

/**
 * Deletes a camera. Past sessions, their attendance and unknown faces stay (their camera link is
 * cleared by the database); its push token stops working. A camera that upcoming or running
 * sessions still use is only deleted with `cascade` (those sessions are left without a camera):
 * otherwise CONFLICT says how many and what to do. Audited with the camera's name.
 */
export async function deleteCamera(
  cameraId: string,
  actorUserId: string | null,
  opts: { cascade?: boolean; now?: Date } = {},
): Promise<{ cameraId: string; upcomingSessions: number }> {
  const camera = await getCameraOrThrow(cameraId);
  const upcomingSessions = await countUpcomingSessionsOfCamera(cameraId, opts.now);
  if (upcomingSessions > 0 && !opts.cascade) {
    throw new AppError('CONFLICT', localized('error.cameraHasUpcoming', { name: camera.name, n: upcomingSessions }), {
      details: { upcomingSessions, cascade: true },
    });
  }
  await audited(
    'cameras.delete',
    {
      actorUserId,
      action: 'camera.delete',
      entity: 'cameras',
      entityId: cameraId,
      details: { name: camera.name, room: camera.room, mode: camera.mode, upcomingSessions },
    },
    async (tx) => {
      await tx.delete(cameras).where(eq(cameras.cameraId, cameraId));
    },
  );
  return { cameraId, upcomingSessions };
}

/** A camera as the API and pages show it: never its push token's hash. */
export function withoutTokenHash<T extends Pick<Camera, 'tokenHash'>>(camera: T): Omit<T, 'tokenHash'> {
  const { tokenHash: _hidden, ...rest } = camera;
  return rest;
}

// Push cameras (device routes).

/** The camera a device path names: its camera id, or its name (the firmware's DEVICE_ID may be either). */
export async function findCameraByIdOrName(deviceId: string): Promise<Camera | undefined> {
  return runDb('pushCameras.findByIdOrName', async (db) => {
    const rows = await db
      .select()
      .from(cameras)
      .where(or(eq(cameras.cameraId, deviceId), eq(cameras.name, deviceId)))
      .limit(2);
    return rows.find((c) => c.cameraId === deviceId) ?? rows[0];
  });
}

/** Stores a new push token's hash and display prefix, audited; the previous token stops working at once. */
export async function setCameraPushToken(
  cameraId: string,
  token: StoredPushToken,
  actorUserId: string | null,
): Promise<void> {
  await audited(
    'cameras.setToken',
    { actorUserId, action: 'camera.rotate_token', entity: 'cameras', entityId: cameraId },
    async (tx) => {
      const [res] = await tx
        .update(cameras)
        .set({ tokenPrefix: token.prefix, tokenHash: token.hash })
        .where(eq(cameras.cameraId, cameraId));
      if (res.affectedRows === 0)
        throw new AppError('NOT_FOUND', localized('error.notFound.camera'), { details: { cameraId } });
    },
  );
}

/** A device heartbeat: what it reported (RSSI, free heap, uptime…), and it counts as seen. */
export async function recordCameraHeartbeat(
  cameraId: string,
  heartbeat: Record<string, unknown>,
  at = new Date(),
): Promise<void> {
  await runDb('pushCameras.heartbeat', (db) =>
    db
      .update(cameras)
      .set({ heartbeat, lastHeartbeatAt: at, lastSeenAt: at, status: 'online' })
      .where(eq(cameras.cameraId, cameraId)),
  );
}

// Online / offline, for the dashboard.

/**
 * A camera counts as online if it was seen within CAMERA_OFFLINE_MINUTES (the worker touches
 * last_seen_at often): the same window after which the worker announces it offline.
 */
export function cameraOnlineWindowMs(): number {
  return env().CAMERA_OFFLINE_MINUTES * 60_000;
}

export interface CameraState extends Omit<Camera, 'tokenHash'> {
  online: boolean;
}

export function isCameraOnline(camera: Pick<Camera, 'lastSeenAt'>, now = new Date()): boolean {
  return camera.lastSeenAt !== null && now.getTime() - camera.lastSeenAt.getTime() <= cameraOnlineWindowMs();
}

/** Cameras without their token hash, with online/offline derived from last_seen_at. */
export async function listCameraStates(now = new Date()): Promise<CameraState[]> {
  const rows = await runDb('cameras.states', (db) => db.select().from(cameras).orderBy(asc(cameras.name)));
  return rows.map((c) => ({ ...withoutTokenHash(c), online: isCameraOnline(c, now) }));
}
