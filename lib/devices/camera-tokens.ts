import 'server-only';
import type { Camera } from '@/db/schema';
import {
  createCamera,
  getCameraOrThrow,
  setCameraPushToken,
  type CameraInput,
  type CameraPatch,
} from '@/lib/data/cameras';
import { assertCameraSource, firmwareConfigLines } from './camera-setup';
import { generatePushToken } from './push-token';

/**
 * Creates a camera (a pull camera must have an http(s) URL: 400 otherwise). A push camera gets a
 * fresh token, returned once (only its hash is stored); a pull camera has none (token null).
 * `actorUserId` null: the admin CLI.
 */
export async function createCameraWithToken(
  input: CameraInput,
  actorUserId: string | null,
): Promise<{ camera: Camera; token: string | null }> {
  assertCameraSource({ mode: input.mode ?? 'pull', streamUrl: input.streamUrl, snapshotUrl: input.snapshotUrl });
  const generated = (input.mode ?? 'pull') === 'push' ? generatePushToken() : null;
  const camera = await createCamera(input, generated, actorUserId);
  return { camera, token: generated?.token ?? null };
}

/** Replaces the camera's token; the old one stops working at once. */
export async function rotateCameraToken(cameraId: string, actorUserId: string | null): Promise<string> {
  const generated = generatePushToken();
  await setCameraPushToken(cameraId, generated, actorUserId);
  return generated.token;
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
