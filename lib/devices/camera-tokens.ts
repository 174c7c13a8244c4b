import 'server-only';
import type { Camera } from '@/db/schema';
import { writeAudit } from '@/lib/data/audit';
import { createCamera, getCameraOrThrow, type CameraInput, type CameraPatch } from '@/lib/data/cameras';
import { setCameraPushToken } from '@/lib/data/cameras';
import { assertCameraSource, firmwareConfigLines } from './camera-setup';
import { generatePushToken } from './push-token';

/**
 * Creates a camera (a pull camera must have an http(s) URL: 400 otherwise). A push camera gets a
 * fresh token, returned once (only its hash is stored); a pull camera has none (token null).
 */
export async function createCameraWithToken(
  input: CameraInput,
  actorUserId: string,
): Promise<{ camera: Camera; token: string | null }> {
  assertCameraSource({ mode: input.mode ?? 'pull', streamUrl: input.streamUrl, snapshotUrl: input.snapshotUrl });
  const camera = await createCamera(input);
  const token = camera.mode === 'push' ? await setToken(camera.cameraId) : null;
  await writeAudit({
    actorUserId,
    action: 'camera.create',
    entity: 'cameras',
    entityId: camera.cameraId,
    details: { name: input.name, mode: input.mode },
  });
  return { camera: await getCameraOrThrow(camera.cameraId), token };
}

/** Replaces the camera's token; the old one stops working at once. */
export async function rotateCameraToken(cameraId: string, actorUserId: string): Promise<string> {
  await getCameraOrThrow(cameraId);
  const token = await setToken(cameraId);
  await writeAudit({ actorUserId, action: 'camera.rotate_token', entity: 'cameras', entityId: cameraId });
  return token;
}

/** A change of mode or URL must leave a pull camera readable (400 otherwise); other edits are not checked. */
export async function assertCameraPatch(cameraId: string, patch: CameraPatch): Promise<void> {
  if (patch.mode === undefined && patch.streamUrl === undefined && patch.snapshotUrl === undefined) return;
  const current = await getCameraOrThrow(cameraId);
  assertCameraSource({ ...current, ...patch });
}

/** The config.h lines for a push camera and its token; `serverUrl` is the dashboard's public address. */
export function pushSetup(
  camera: Pick<Camera, 'cameraId' | 'mode'>,
  token: string | null,
  serverUrl: string,
): string | null {
  return camera.mode === 'push' && token ? firmwareConfigLines({ serverUrl, deviceId: camera.cameraId, token }) : null;
}

async function setToken(cameraId: string): Promise<string> {
  const { token, prefix, hash } = generatePushToken();
  await setCameraPushToken(cameraId, prefix, hash);
  return token;
}
