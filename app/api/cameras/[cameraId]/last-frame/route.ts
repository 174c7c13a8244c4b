import { pathParams, route } from '@/lib/auth/route';
import { fetchLastFrame } from '@/lib/devices/internal-last-frame';
import { WorkerUnavailableError } from '@/lib/devices/internal-frames';
import { workerTargets } from '@/lib/devices/worker-target';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      "The worker's last processed frame with face boxes and names (JPEG, no-store; memory only on the worker); 404 none yet or no worker holds the camera, 503 its worker unreachable",
    params: pathParams('cameraId'),
    roles: ['admin'],
    response: { contentType: ['image/jpeg'] },
  },
  async ({ params }) => {
    const settings = env();
    const cameraId = params.cameraId;
    // The worker holding the camera's lease has its frames; nobody holding it means no live frame.
    const workerUrl = await workerTargets().urlFor(cameraId);
    if (!workerUrl) throw new AppError('NOT_FOUND', 'No worker is processing this camera right now');
    let jpeg: Buffer | null;
    try {
      jpeg = await fetchLastFrame({ workerUrl, internalToken: settings.INTERNAL_TOKEN }, cameraId);
    } catch (err) {
      workerTargets().forget(cameraId);
      if (err instanceof WorkerUnavailableError)
        throw new AppError('UNAVAILABLE', 'The recognition worker is not reachable', { cause: err });
      throw err;
    }
    if (!jpeg) throw new AppError('NOT_FOUND', 'No processed frame from this camera yet');
    return new Response(new Uint8Array(jpeg), {
      headers: { 'content-type': 'image/jpeg', 'cache-control': 'no-store' },
    });
  },
);
