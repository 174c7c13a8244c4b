import 'server-only';
import { asc } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { env } from '@/lib/env';
import { cameras, type Camera } from '@/db/schema';

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
  return rows.map(({ tokenHash: _hidden, ...c }) => ({ ...c, online: isCameraOnline(c, now) }));
}
