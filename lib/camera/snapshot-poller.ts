import { abortableSleep } from './abortable-sleep';
import { failureFromError, httpGet, httpStatusFailure } from './http-get';
import { endsWithEoi, startsWithSoi } from './jpeg-end-scanner';
import {
  silentLogger,
  type CameraFailure,
  type CameraLogger,
  type FrameSource,
  type SourceOutcome,
  type SourceRunContext,
} from './types';
import { redactCredentials } from './redact';

export interface SnapshotPollerOptions {
  cameraId: string;
  /** Time between the starts of two requests. */
  intervalMs: number;
  /** Time allowed for one whole snapshot response. */
  requestTimeoutMs?: number;
  maxBytes?: number;
  headers?: Record<string, string>;
  logger?: CameraLogger;
}

type SnapshotResult =
  | { status: 'ok'; jpeg: Buffer; timestamp?: number }
  | { status: 'failed'; failure: CameraFailure }
  | { status: 'aborted' };

const DEFAULT_MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024;

/**
 * Polls a still-image URL (the ESP32's `/capture`) every `intervalMs`, handing each JPEG to
 * `onFrame`. The first failed request ends the run with a typed outcome; reconnecting is the
 * camera connection's job.
 */
export async function pollSnapshots(
  url: string,
  { signal, onFrame }: SourceRunContext,
  options: SnapshotPollerOptions,
): Promise<SourceOutcome> {
  const logger = options.logger ?? silentLogger;
  let frames = 0;
  for (;;) {
    const startedAt = Date.now();
    const result = await fetchSnapshot(url, signal, options);
    if (result.status === 'aborted') return { status: 'aborted', frames };
    if (result.status === 'failed') return { status: 'failed', frames, failure: result.failure };
    frames += 1;
    try {
      onFrame({
        cameraId: options.cameraId,
        jpeg: result.jpeg,
        receivedAt: Date.now(),
        ...(result.timestamp === undefined ? {} : { timestamp: result.timestamp }),
      });
    } catch (error) {
      logger.error({ err: error, cameraId: options.cameraId }, 'frame consumer threw; frame skipped');
    }
    const aborted = await abortableSleep(Math.max(0, options.intervalMs - (Date.now() - startedAt)), signal);
    if (aborted) return { status: 'aborted', frames };
  }
}

export function snapshotSource(url: string, options: SnapshotPollerOptions): FrameSource {
  return (context) => pollSnapshots(url, context, options);
}

async function fetchSnapshot(
  url: string,
  signal: AbortSignal,
  options: SnapshotPollerOptions,
): Promise<SnapshotResult> {
  const timeoutMs = options.requestTimeoutMs ?? Math.max(2_000, options.intervalMs * 2);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  const startedAt = Date.now();
  const opened = await httpGet(url, { signal, timeoutMs, headers: { Accept: 'image/jpeg', ...options.headers } });
  if (opened.status !== 'response') return opened;
  const { request, response } = opened;
  const contentType = response.headers['content-type'];
  const headerFailure: CameraFailure | null =
    httpStatusFailure(response, url) ??
    (contentType === undefined || !/^\s*image\//i.test(contentType)
      ? {
          code: 'not-image',
          message: `${redactCredentials(url)} sent Content-Type ${contentType ?? '(none)'}, not an image`,
        }
      : Number(response.headers['content-length'] ?? 0) > maxBytes
        ? {
            code: 'not-image',
            message: `${redactCredentials(url)} announced ${response.headers['content-length']} bytes, over the ${maxBytes}-byte limit`,
          }
        : null);
  if (headerFailure !== null) {
    request.destroy();
    return { status: 'failed', failure: headerFailure };
  }

  return new Promise<SnapshotResult>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: SnapshotResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ status: 'aborted' });
    const timer = setTimeout(
      () =>
        finish({
          status: 'failed',
          failure: { code: 'timeout', message: `snapshot from ${redactCredentials(url)} took over ${timeoutMs} ms` },
        }),
      Math.max(1, timeoutMs - (Date.now() - startedAt)),
    );
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        finish({
          status: 'failed',
          failure: {
            code: 'not-image',
            message: `snapshot from ${redactCredentials(url)} is over the ${maxBytes}-byte limit`,
          },
        });
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      const jpeg = Buffer.concat(chunks);
      if (!startsWithSoi(jpeg) || !endsWithEoi(jpeg)) {
        finish({
          status: 'failed',
          failure: {
            code: 'not-image',
            message: `snapshot from ${redactCredentials(url)} is not a complete JPEG (${jpeg.length} bytes)`,
          },
        });
        return;
      }
      const stamp = Number(response.headers['x-timestamp']);
      finish({
        status: 'ok',
        jpeg,
        ...(response.headers['x-timestamp'] !== undefined && Number.isFinite(stamp) ? { timestamp: stamp * 1000 } : {}),
      });
    });
    response.on('error', (error) => finish({ status: 'failed', failure: failureFromError(error, url) }));
    response.on('close', () =>
      finish({
        status: 'failed',
        failure: { code: 'network', message: `snapshot from ${redactCredentials(url)} was cut off` },
      }),
    );
  });
}
