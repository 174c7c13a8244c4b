/**
 * The web → worker hand-off of pushed frames (both sides import this file so they agree):
 *   POST ${WORKER_URL}/internal/frames/:cameraId
 *   x-internal-token: <INTERNAL_TOKEN>
 *   content-type: image/jpeg, body = the JPEG exactly as the camera sent it
 * The worker answers 2xx once the frame is queued (a full queue drops its oldest frame; still 2xx).
 */
import { timingSafeEqual } from 'node:crypto';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
export const INTERNAL_FRAMES_PREFIX = '/internal/frames/';

export function internalFramesUrl(workerUrl: string, cameraId: string): string {
  return `${workerUrl.replace(/\/+$/, '')}${INTERNAL_FRAMES_PREFIX}${encodeURIComponent(cameraId)}`;
}

/**
 * A camera id from a path segment. `malformed` (bad percent-encoding such as `%ZZ`) is the caller's
 * 400, never an exception: anyone who can reach the worker's port could send one.
 */
export type PathCameraId = { cameraId: string } | { malformed: true };

export function decodeCameraSegment(segment: string): PathCameraId {
  try {
    return { cameraId: decodeURIComponent(segment) };
  } catch {
    return { malformed: true };
  }
}

/** Worker side: the camera id of an ingest path (`/internal/frames/<id>`), or null for another path. */
export function cameraIdFromInternalPath(pathname: string): PathCameraId | null {
  if (!pathname.startsWith(INTERNAL_FRAMES_PREFIX)) return null;
  const rest = pathname.slice(INTERNAL_FRAMES_PREFIX.length);
  if (!rest || rest.includes('/')) return null;
  return decodeCameraSegment(rest);
}

/** Worker side: constant-time check of the header value against INTERNAL_TOKEN. */
export function isValidInternalToken(header: string | string[] | null | undefined, expected: string): boolean {
  const got = Buffer.from(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
  const want = Buffer.from(expected);
  return got.length === want.length && timingSafeEqual(got, want);
}

export class WorkerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerUnavailableError';
  }
}

/** Web side: hands one frame to the worker; throws WorkerUnavailableError if it cannot take it. */
export async function forwardFrameToWorker(
  opts: { workerUrl: string; internalToken: string; timeoutMs?: number },
  cameraId: string,
  jpeg: Uint8Array,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(internalFramesUrl(opts.workerUrl, cameraId), {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', [INTERNAL_TOKEN_HEADER]: opts.internalToken },
      body: jpeg as BodyInit,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
    });
  } catch (err) {
    throw new WorkerUnavailableError(`worker unreachable: ${(err as Error).message}`, { cause: err });
  }
  await res.body?.cancel().catch(() => undefined);
  if (!res.ok) throw new WorkerUnavailableError(`worker answered ${res.status}`);
}
