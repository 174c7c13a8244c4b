import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { pushSetup, rotateCameraToken } from '@/lib/devices/camera-tokens';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** A new push token (shown once, with the config.h lines for a push camera); the old one stops working. */
export const POST = route(
  {
    summary: 'Rotate the push token (shown once; `firmwareConfig`: the config.h lines for a push camera)',
    params: pathParams('cameraId'),
    roles: ['admin'],
    response: { json: z.object({ token: z.string(), firmwareConfig: z.string().nullable() }) },
  },
  async ({ req, params, user }) => {
    const token = await rotateCameraToken(params.cameraId, user.id);
    const camera = await getCameraOrThrow(params.cameraId);
    return Response.json({
      token,
      firmwareConfig: pushSetup(camera, token, new URL(env().NEXTAUTH_URL ?? req.url).origin),
    });
  },
);
