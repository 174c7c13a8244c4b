import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { createCameraBody } from '@/lib/dashboard/schemas';
import { cameraStatsFrom, fetchWorkersHealth } from '@/lib/dashboard/worker-stats';
import { listCamerasWithLeases } from '@/lib/data/camera-leases';
import { listCameraStates, withoutTokenHash } from '@/lib/data/cameras';
import { createCameraWithToken, pushSetup } from '@/lib/devices/camera-tokens';
import { env } from '@/lib/env';
import { cameraRow } from '@/lib/dashboard/responses';
import { cameraList } from '@/lib/dashboard/camera-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      "Cameras with status, the worker holding each one's lease (workerId, leaseExpiresAt; null when none) and its stats, plus every registered worker with its health",
    roles: ['admin'],
    response: { json: cameraList },
  },
  async () => {
    const [cameras, leases, { workers, health }] = await Promise.all([
      listCameraStates(),
      listCamerasWithLeases(),
      fetchWorkersHealth(),
    ]);
    const stats = cameraStatsFrom(...health);
    const owner = new Map(leases.map((l) => [l.cameraId, l]));
    return Response.json({
      workerReachable: health.some((h) => h.reachable),
      cameras: cameras.map((c) => ({
        ...c,
        workerId: owner.get(c.cameraId)?.workerId ?? null,
        leaseExpiresAt: owner.get(c.cameraId)?.leaseExpiresAt ?? null,
        stats: stats[c.cameraId] ?? null,
      })),
      workers: workers.map(({ health: h, ...w }) => ({
        ...w,
        cameras: leases.filter((l) => l.workerId === w.workerId).length,
        reachable: h?.reachable ?? false,
      })),
    });
  },
);

/**
 * A pull camera needs an http(s) URL (400 otherwise). A push camera's response carries its token and
 * the firmware's config.h lines, once; the token is never shown again.
 */
export const POST = route(
  {
    summary:
      'Add a camera: a pull camera needs an http(s) streamUrl or snapshotUrl (400 in words otherwise, token null); a push camera gets its token and `firmwareConfig` (the config.h lines) in the response, once',
    roles: ['admin'],
    body: createCameraBody,
    response: {
      status: 201,
      json: z.object({ camera: cameraRow, token: z.string().nullable(), firmwareConfig: z.string().nullable() }),
    },
  },
  async ({ req, body, user }) => {
    const { camera, token } = await createCameraWithToken(
      {
        name: body.name,
        room: body.room ?? null,
        mode: body.mode,
        streamUrl: body.streamUrl || null,
        snapshotUrl: body.snapshotUrl || null,
        liveness: body.liveness,
      },
      user.id,
    );
    const serverUrl = new URL(env().NEXTAUTH_URL ?? req.url).origin;
    return Response.json(
      { camera: withoutTokenHash(camera), token, firmwareConfig: pushSetup(camera, token, serverUrl) },
      { status: 201 },
    );
  },
);
