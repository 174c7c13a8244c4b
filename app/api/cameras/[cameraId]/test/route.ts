import { pathParams, route } from '@/lib/auth/route';
import { testCameraConnection } from '@/lib/devices/camera-test';
import { cameraTest } from '@/lib/dashboard/camera-responses';

export const dynamic = 'force-dynamic';

/**
 * "Test connection": the worker fetches one frame from the camera's URL and finds the faces in it.
 * 200 either way, with the frame (boxes and widths drawn) and whether faces are big enough, or the
 * problem in words; 503 when the worker cannot be asked.
 */
export const POST = route(
  {
    summary:
      '"Test connection" of a pull camera: the worker fetches one frame from its URL; 200 `{ok: true, image (data: JPEG with face boxes and widths), faces, report: {verdict none|ok|mixed|small, …}, summary}` or `{ok: false, error: {kind, message, detail (credentials stripped)}}`; 400 push camera or no URL; 503 worker unreachable',
    params: pathParams('cameraId'),
    roles: ['admin'],
    response: { json: cameraTest },
  },
  async ({ params }) => Response.json(await testCameraConnection(params.cameraId)),
);
