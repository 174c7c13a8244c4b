import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateCameraBody } from '@/lib/dashboard/schemas';
import { deleteCamera, updateCamera, withoutTokenHash } from '@/lib/data/cameras';
import { assertCameraPatch } from '@/lib/devices/camera-tokens';
import { cameraRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  {
    summary:
      'Edit a camera (name, room, mode, stream URL…); a change of mode or URL that leaves a pull camera without an http(s) URL is 400',
    params: pathParams('cameraId'),
    roles: ['admin'],
    body: updateCameraBody,
    response: { json: cameraRow },
  },
  async ({ params, body, user }) => {
    await assertCameraPatch(params.cameraId, body);
    return Response.json(withoutTokenHash(await updateCamera(params.cameraId, body, user.id)));
  },
);

export const DELETE = route(
  {
    summary:
      'Delete a camera: past sessions and attendance stay; one that upcoming sessions use only with cascade=true (they lose their camera), else 409 (audited)',
    params: pathParams('cameraId'),
    query: deleteQuery,
    roles: ['admin'],
    response: { json: z.object({ cameraId: z.string(), upcomingSessions: z.number().int() }) },
  },
  async ({ params, query: { cascade }, user }) => {
    return Response.json(await deleteCamera(params.cameraId, user.id, { cascade }));
  },
);
