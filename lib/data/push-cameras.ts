import 'server-only';
import { eq, or } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { cameras, type Camera } from '@/db/schema';

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

/** Stores a new push token's hash and display prefix; the previous token stops working at once. */
export async function setCameraPushToken(cameraId: string, tokenPrefix: string, tokenHash: string): Promise<void> {
  await runDb('pushCameras.setToken', (db) => db.update(cameras).set({ tokenPrefix, tokenHash }).where(eq(cameras.cameraId, cameraId)));
}

/** A device heartbeat: what it reported (RSSI, free heap, uptime…), and it counts as seen. */
export async function recordCameraHeartbeat(cameraId: string, heartbeat: Record<string, unknown>, at = new Date()): Promise<void> {
  await runDb('pushCameras.heartbeat', (db) =>
    db.update(cameras).set({ heartbeat, lastHeartbeatAt: at, lastSeenAt: at, status: 'online' }).where(eq(cameras.cameraId, cameraId)),
  );
}
