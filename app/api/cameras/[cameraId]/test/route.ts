import { pathParams, route } from '@/lib/auth/route';
import { testCameraConnection } from '@/lib/devices/camera-test';

export const dynamic = 'force-dynamic';

/**
 * "Test connection": the worker fetches one frame from the camera's URL and finds the faces in it.
 * 200 either way, with the frame (boxes and widths drawn) and whether faces are big enough, or the
 * problem in words; 503 when the worker cannot be asked.
 */
export const POST = route({ params: pathParams('cameraId'), roles: ['admin'] }, async ({ params }) =>
  Response.json(await testCameraConnection(params.cameraId)),
);
