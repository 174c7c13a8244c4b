import { route } from '@/lib/auth/route';
import { parseQuery } from '@/lib/dashboard/query';
import { deleteQuery, updateCameraBody } from '@/lib/dashboard/schemas';
import { deleteCamera, updateCamera } from '@/lib/data/cameras';
import { assertCameraPatch } from '@/lib/devices/camera-tokens';

export const dynamic = 'force-dynamic';

export const PATCH = route({ roles: ['admin'], body: updateCameraBody }, async ({ params, body, user }) => {
  await assertCameraPatch(String(params.cameraId), body);
  const { tokenHash: _hidden, ...camera } = await updateCamera(String(params.cameraId), body, user!.id);
  return Response.json(camera);
});

/** Past sessions and attendance stay; a camera upcoming sessions still use needs `?cascade=true` (else 409). */
export const DELETE = route({ roles: ['admin'] }, async ({ req, params, user }) => {
  const { cascade } = parseQuery(req, deleteQuery);
  return Response.json(await deleteCamera(String(params.cameraId), user!.id, { cascade }));
});
