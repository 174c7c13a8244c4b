import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { cameras, type Camera } from '@/db/schema';
import { writeAudit } from './audit';
import { createCamera, getCameraOrThrow, type CameraInput } from './cameras';

/** Characters of the token kept in clear (`token_prefix`) to find the row before comparing hashes. */
export const TOKEN_PREFIX_LENGTH = 8;

/**
 * Push tokens are 32 random bytes, so a plain SHA-256 is enough (no need for a slow password hash):
 * guessing is infeasible and verification must be fast at several frames per second.
 */
export function hashPushToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newPushToken(): { token: string; prefix: string; hash: string } {
  const token = `cam_${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, TOKEN_PREFIX_LENGTH + 4), hash: hashPushToken(token) };
}

/** The camera a push token belongs to, or undefined. Constant-time hash comparison. */
export async function findCameraByPushToken(token: string): Promise<Camera | undefined> {
  const prefix = token.slice(0, TOKEN_PREFIX_LENGTH + 4);
  const rows = await runDb('cameras.byTokenPrefix', (db) => db.select().from(cameras).where(eq(cameras.tokenPrefix, prefix)));
  const want = Buffer.from(hashPushToken(token), 'hex');
  return rows.find((c) => c.tokenHash && c.tokenHash.length === want.length * 2 && timingSafeEqual(Buffer.from(c.tokenHash, 'hex'), want));
}

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
  const { token, prefix, hash } = newPushToken();
  await runDb('cameras.setToken', (db) => db.update(cameras).set({ tokenHash: hash, tokenPrefix: prefix }).where(eq(cameras.cameraId, cameraId)));
  return token;
}

export type CameraPatch = Partial<Pick<Camera, 'name' | 'room' | 'mode' | 'streamUrl' | 'snapshotUrl'>>;

export async function updateCamera(cameraId: string, patch: CameraPatch, actorUserId: string): Promise<Camera> {
  await getCameraOrThrow(cameraId);
  if (Object.keys(patch).length > 0) {
    await runDb('cameras.update', (db) => db.update(cameras).set(patch).where(and(eq(cameras.cameraId, cameraId))));
    await writeAudit({ actorUserId, action: 'camera.update', entity: 'cameras', entityId: cameraId, details: patch });
  }
  return getCameraOrThrow(cameraId);
}
