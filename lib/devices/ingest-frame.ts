/**
 * `POST /api/devices/:deviceId/frames`: a pushing ESP32-CAM uploads one JPEG. Checked in the order
 * that costs the server least: token (401) → content type (415) → declared length (413) → rate (429)
 * → body read with a hard cap (413, reading stops at the limit) → JPEG markers (400) → picture size
 * from the JPEG header (413 above MAX_FRAME_PIXELS) → hand-off to the worker (503 when it cannot take it). Dependencies are passed in so tests drive it with a Request.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import sharp from 'sharp';
import type { Camera } from '@/db/schema';
import { AppError, errorResponse } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import { WorkerUnavailableError } from './internal-frames';
import { bearerToken, hashPushToken, verifyPushToken } from './push-token';
import { readBodyCapped } from '@/lib/http-body';

export interface DeviceAuthDeps {
  /** The camera a path's device id names (camera id or name). */
  findCamera(deviceId: string): Promise<Camera | undefined>;
}

export interface IngestFrameDeps extends DeviceAuthDeps {
  maxBytes: number;
  limiter: Pick<RateLimiterMemory, 'consume'>;
  /** Hands the frame to the worker; throws WorkerUnavailableError when it cannot. */
  forward(cameraId: string, jpeg: Uint8Array): Promise<void>;
  /** Called for every accepted frame; expected to throttle its own writes. */
  markSeen(cameraId: string): void;
}

/** Seconds a device should wait before trying again after a 503. */
const WORKER_RETRY_AFTER_S = 2;

/**
 * The push camera behind `deviceId` if the bearer token is its current one. Every failure — no
 * token, wrong token, unknown device, a pull camera — is the same 401, so nothing leaks which.
 */
export async function authenticateDevice(req: Request, deviceId: string, deps: DeviceAuthDeps): Promise<Camera> {
  const token = bearerToken(req.headers.get('authorization'));
  const denied = new AppError('UNAUTHORIZED', 'Missing or invalid device token');
  if (!token || deviceId.length > 128) throw denied;
  const camera = await deps.findCamera(deviceId);
  if (!camera || camera.mode !== 'push') {
    hashPushToken(token); // same work as a real check
    throw denied;
  }
  if (!verifyPushToken(token, camera.tokenHash)) throw denied;
  return camera;
}

export function assertContentType(req: Request, expected: string): void {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== expected) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${expected}${type ? `, got ${type}` : ''}`);
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `Body larger than the ${maxBytes}-byte limit (PUSH_MAX_BYTES)`, {
    details: { maxBytes },
  });
}

/**
 * Reads the body, refusing it as soon as it is known to exceed `maxBytes`: from Content-Length before
 * reading anything, and for a chunked body after the first chunk that crosses the limit (the rest is
 * cancelled, never pulled).
 */
export async function readBodyWithLimit(req: Request, maxBytes: number): Promise<Uint8Array> {
  return readBodyCapped(req, maxBytes, () => tooLarge(maxBytes));
}

/** A JPEG starts with SOI (FFD8) and ends with EOI (FFD9); some encoders pad a few bytes after EOI. */
export function assertCompleteJpeg(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new AppError('VALIDATION', 'Empty body: expected a JPEG frame');
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    throw new AppError('VALIDATION', 'Not a JPEG: the body must start with the FFD8 (SOI) marker');
  }
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 64); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return;
  }
  throw new AppError('VALIDATION', 'Truncated JPEG: no FFD9 (EOI) marker at the end of the body');
}

/**
 * Largest pushed camera frame: 2048×2048 (~4.2 MP; an OV2640 sends at most 1600×1200, an OV5640 QSXGA
 * frame is refused). Photo uploads may be 40 MP, but a frame arrives several times a second: a stolen
 * device token sending huge frames would otherwise keep the engine threads busy decoding them.
 */
export const MAX_FRAME_PIXELS = 2048 * 2048;

/** Refuses a frame whose header says it is larger than MAX_FRAME_PIXELS (no pixel is decoded). */
export async function assertFramePixels(jpeg: Uint8Array): Promise<void> {
  let width = 0,
    height = 0;
  try {
    ({ width = 0, height = 0 } = await sharp(jpeg, { limitInputPixels: false }).metadata());
  } catch {
    throw new AppError('VALIDATION', 'Not a JPEG picture: its header could not be read');
  }
  if (width * height > MAX_FRAME_PIXELS)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The frame is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(1)} MP); camera frames may be at most ${(MAX_FRAME_PIXELS / 1e6).toFixed(1)} MP (2048×2048). Set a smaller frame size on the camera.`,
      { details: { width, height, maxPixels: MAX_FRAME_PIXELS } },
    );
}

/** At most `fps` frames per second per key (fractional rates: one frame per 1/fps seconds). */
export function createFrameRateLimiter(fps: number): RateLimiterMemory {
  return fps >= 1
    ? new RateLimiterMemory({ points: Math.floor(fps), duration: 1 })
    : new RateLimiterMemory({ points: 1, duration: Math.ceil(1 / fps) });
}

async function consumeOrThrow(limiter: IngestFrameDeps['limiter'], key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new AppError('RATE_LIMITED', 'Too many frames from this device (PUSH_MAX_FPS)', { details: { retryAfter } });
  }
}

/** Maps an error to its JSON response, with Retry-After on 429/503 and WWW-Authenticate on 401. */
export function deviceErrorResponse(err: unknown): Response {
  const res = errorResponse(err);
  if (err instanceof AppError) {
    const retryAfter = err.details?.retryAfter;
    if (typeof retryAfter === 'number') res.headers.set('Retry-After', String(retryAfter));
    if (err.code === 'UNAUTHORIZED') res.headers.set('WWW-Authenticate', 'Bearer');
  }
  return res;
}

export async function ingestFrame(req: Request, deviceId: string, deps: IngestFrameDeps): Promise<Response> {
  try {
    const camera = await authenticateDevice(req, deviceId, deps);
    assertContentType(req, 'image/jpeg');
    const declared = req.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > deps.maxBytes) throw tooLarge(deps.maxBytes);
    await consumeOrThrow(deps.limiter, camera.cameraId);
    const jpeg = await readBodyWithLimit(req, deps.maxBytes);
    assertCompleteJpeg(jpeg);
    await assertFramePixels(jpeg);
    try {
      await deps.forward(camera.cameraId, jpeg);
    } catch (err) {
      if (!(err instanceof WorkerUnavailableError)) throw err;
      createLogger('push').warn({ cameraId: camera.cameraId, err: err.message }, 'worker cannot take pushed frames');
      throw new AppError('UNAVAILABLE', 'The recognition worker is not available; try again shortly', {
        details: { retryAfter: WORKER_RETRY_AFTER_S },
      });
    }
    deps.markSeen(camera.cameraId);
    return Response.json({ accepted: true, bytes: jpeg.byteLength }, { status: 202 });
  } catch (err) {
    if (!(err instanceof AppError)) createLogger('push').error({ err, deviceId }, 'frame ingest failed');
    return deviceErrorResponse(err);
  }
}

/**
 * Calls `mark(id)` at most once per `intervalMs` per id, so pushing devices do not write
 * `cameras.last_seen_at` several times a second. Failures are logged, never thrown.
 */
export function throttledSeen(
  mark: (id: string) => Promise<void>,
  intervalMs = 5_000,
  now = () => Date.now(),
): (id: string) => void {
  const last = new Map<string, number>();
  return (id) => {
    const t = now();
    if (t - (last.get(id) ?? -Infinity) < intervalMs) return;
    last.set(id, t);
    mark(id).catch((err: unknown) => createLogger('push').warn({ cameraId: id, err }, 'could not update last_seen_at'));
  };
}
