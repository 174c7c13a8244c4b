/**
 * The web → worker request for a camera's last frame with face boxes drawn (both sides import this):
 *   GET ${WORKER_URL}/internal/cameras/:cameraId/last-frame
 *   x-internal-token: <INTERNAL_TOKEN>
 * 200 image/jpeg, or 404 when the camera has no processed frame yet (or is unknown to the worker).
 */
import {
  INTERNAL_TOKEN_HEADER,
  WorkerUnavailableError,
  decodeCameraSegment,
  type PathCameraId,
} from './internal-frames';

const PATTERN = /^\/internal\/cameras\/([^/]+)\/last-frame$/;

export function lastFrameUrl(workerUrl: string, cameraId: string): string {
  return `${workerUrl.replace(/\/+$/, '')}/internal/cameras/${encodeURIComponent(cameraId)}/last-frame`;
}

/** Worker side: the camera id of a last-frame path (or `malformed`), null for another path. */
export function cameraIdFromLastFramePath(pathname: string): PathCameraId | null {
  const m = PATTERN.exec(pathname);
  return m ? decodeCameraSegment(m[1] as string) : null;
}

/** Web side: the JPEG, null when the worker has none yet; throws WorkerUnavailableError otherwise. */
export async function fetchLastFrame(
  opts: { workerUrl: string; internalToken: string; timeoutMs?: number },
  cameraId: string,
): Promise<Buffer | null> {
  let res: Response;
  try {
    res = await fetch(lastFrameUrl(opts.workerUrl, cameraId), {
      headers: { [INTERNAL_TOKEN_HEADER]: opts.internalToken },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 3_000),
      cache: 'no-store',
    });
  } catch (err) {
    throw new WorkerUnavailableError(`worker unreachable: ${(err as Error).message}`, { cause: err });
  }
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new WorkerUnavailableError(`worker answered ${res.status}`);
  }
  return Buffer.from(await res.arrayBuffer());
}
