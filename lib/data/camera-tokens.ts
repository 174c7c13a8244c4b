import 'server-only';
import { and, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { generatePushToken } from '@/lib/devices/push-token';
import { cameras, type Camera } from '@/db/schema';
import { writeAudit } from './audit';
import { createCamera, getCameraOrThrow, type CameraInput } from './cameras';

/** Creates a camera with a fresh push token; the token is returned once and only its hash is stored. */
export async function createCameraWithToken(input: CameraInput, actorUserId: string): Promise<{ camera: Camera; token: string }> {
  const camera = await createCamera(input);
  const token = await setToken(camera.cameraId);
  await writeAudit({ actorUserId, action: 'camera.create', entity: 'cameras', entityId: camera.cameraId, details: { name: input.name, mode: input.mode } });
  return { camera: await getCameraOrThrow(camera.cameraId), token };
}

/** Replaces the camera's token; the old one stops working at once. */
export async function rotateCameraToken(cameraId: string, actorUserId: string): Promise<string> {
  await getCameraOrThrow(cameraId);
  const token = await setToken(cameraId);
  await writeAudit({ actorUserId, action: 'camera.rotate_token', entity: 'cameras', entityId: cameraId });
  return token;
}

async function setToken(cameraId: string): Promise<string> {
  const { token, prefix, hash } = generatePushToken();
  await runDb('cameras.setToken', (db) => db.update(cameras).set({ tokenHash: hash, tokenPrefix: prefix }).where(eq(cameras.cameraId, cameraId)));
  return token;
}

export type CameraPatch = Partial<Pick<Camera, 'name' | 'room' | 'mode' | 'streamUrl' | 'snapshotUrl' | 'liveness'>>;

export async function updateCamera(cameraId: string, patch: CameraPatch, actorUserId: string): Promise<Camera> {
  await getCameraOrThrow(cameraId);
  if (Object.keys(patch).length > 0) {
    await runDb('cameras.update', (db) => db.update(cameras).set(patch).where(and(eq(cameras.cameraId, cameraId))));
    await writeAudit({ actorUserId, action: 'camera.update', entity: 'cameras', entityId: cameraId, details: patch });
  }
  return getCameraOrThrow(cameraId);
}
