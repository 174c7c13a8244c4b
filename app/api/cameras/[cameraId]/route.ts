import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateCameraBody } from '@/lib/dashboard/schemas';
import { deleteCamera, updateCamera, withoutTokenHash } from '@/lib/data/cameras';
import { assertCameraPatch } from '@/lib/devices/camera-tokens';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  { params: pathParams('cameraId'), roles: ['admin'], body: updateCameraBody },
  async ({ params, body, user }) => {
    await assertCameraPatch(params.cameraId, body);
    return Response.json(withoutTokenHash(await updateCamera(params.cameraId, body, user.id)));
  },
);

/** Past sessions and attendance stay; a camera upcoming sessions still use needs `?cascade=true` (else 409). */
export const DELETE = route(
  { params: pathParams('cameraId'), query: deleteQuery, roles: ['admin'] },
  async ({ params, query: { cascade }, user }) => {
    return Response.json(await deleteCamera(params.cameraId, user.id, { cascade }));
  },
);
