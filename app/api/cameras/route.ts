import { route } from '@/lib/auth/route';
import { createCameraBody } from '@/lib/dashboard/schemas';
import { cameraStatsFrom, fetchWorkerHealth } from '@/lib/dashboard/worker-stats';
import { listCameraStates } from '@/lib/data/overview';
import { createCameraWithToken } from '@/lib/devices/camera-tokens';

export const dynamic = 'force-dynamic';

/** Cameras with online/offline and, when the worker answers, its per-camera stats. */
export const GET = route({ roles: ['admin'] }, async () => {
  const [cameras, health] = await Promise.all([listCameraStates(), fetchWorkerHealth()]);
  const stats = cameraStatsFrom(health);
  return Response.json({ workerReachable: health.reachable, cameras: cameras.map((c) => ({ ...c, stats: stats[c.cameraId] ?? null })) });
});

/** The response carries the push token; it is never shown again. */
export const POST = route({ roles: ['admin'], body: createCameraBody }, async ({ body, user }) => {
  const { camera, token } = await createCameraWithToken(
    { name: body.name, room: body.room ?? null, mode: body.mode, streamUrl: body.streamUrl ?? null, snapshotUrl: body.snapshotUrl ?? null },
    user!.id,
  );
  const { tokenHash: _hidden, ...safe } = camera;
  return Response.json({ camera: safe, token }, { status: 201 });
});
