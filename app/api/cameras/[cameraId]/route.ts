import { route } from '@/lib/auth/route';
import { updateCameraBody } from '@/lib/dashboard/schemas';
import { updateCamera } from '@/lib/data/cameras';
import { assertCameraPatch } from '@/lib/devices/camera-tokens';

export const dynamic = 'force-dynamic';

export const PATCH = route({ roles: ['admin'], body: updateCameraBody }, async ({ params, body, user }) => {
  await assertCameraPatch(String(params.cameraId), body);
  const { tokenHash: _hidden, ...camera } = await updateCamera(String(params.cameraId), body, user!.id);
  return Response.json(camera);
});
