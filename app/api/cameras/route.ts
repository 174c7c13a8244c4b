import { route } from '@/lib/auth/route';
import { createCameraBody } from '@/lib/dashboard/schemas';
import { cameraStatsFrom, fetchWorkerHealth } from '@/lib/dashboard/worker-stats';
import { listCameraStates } from '@/lib/data/overview';
import { createCameraWithToken, pushSetup } from '@/lib/devices/camera-tokens';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Cameras with online/offline and, when the worker answers, its per-camera stats. */
export const GET = route({ roles: ['admin'] }, async () => {
  const [cameras, health] = await Promise.all([listCameraStates(), fetchWorkerHealth()]);
  const stats = cameraStatsFrom(health);
  return Response.json({ workerReachable: health.reachable, cameras: cameras.map((c) => ({ ...c, stats: stats[c.cameraId] ?? null })) });
});

/**
 * A pull camera needs an http(s) URL (400 otherwise). A push camera's response carries its token and
 * the firmware's config.h lines, once; the token is never shown again.
 */
export const POST = route({ roles: ['admin'], body: createCameraBody }, async ({ req, body, user }) => {
  const { camera, token } = await createCameraWithToken(
    { name: body.name, room: body.room ?? null, mode: body.mode, streamUrl: body.streamUrl || null, snapshotUrl: body.snapshotUrl || null, liveness: body.liveness },
    user!.id,
  );
  const { tokenHash: _hidden, ...safe } = camera;
  const serverUrl = new URL(env().NEXTAUTH_URL ?? req.url).origin;
  return Response.json({ camera: safe, token, firmwareConfig: pushSetup(camera, token, serverUrl) }, { status: 201 });
});
