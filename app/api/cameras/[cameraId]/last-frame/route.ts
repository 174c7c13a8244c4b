import { route } from '@/lib/auth/route';
import { fetchLastFrame } from '@/lib/devices/internal-last-frame';
import { WorkerUnavailableError } from '@/lib/devices/internal-frames';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The worker's last processed frame of this camera with face boxes and names; a live view, never cached. */
export const GET = route({ roles: ['admin'] }, async ({ params }) => {
  const settings = env();
  let jpeg: Buffer | null;
  try {
    jpeg = await fetchLastFrame({ workerUrl: settings.WORKER_URL, internalToken: settings.INTERNAL_TOKEN }, String(params.cameraId));
  } catch (err) {
    if (err instanceof WorkerUnavailableError) throw new AppError('UNAVAILABLE', 'The recognition worker is not reachable', { cause: err });
    throw err;
  }
  if (!jpeg) throw new AppError('NOT_FOUND', 'No processed frame from this camera yet');
  return new Response(new Uint8Array(jpeg), { headers: { 'content-type': 'image/jpeg', 'cache-control': 'no-store' } });
});
