import 'server-only';
import type { Camera } from '@/db/schema';
import { writeAudit } from '@/lib/data/audit';
import { createCamera, getCameraOrThrow, type CameraInput } from '@/lib/data/cameras';
import { setCameraPushToken } from '@/lib/data/push-cameras';
import { generatePushToken } from './push-token';

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
  await setCameraPushToken(cameraId, prefix, hash);
  return token;
}
