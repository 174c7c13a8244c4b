import { failureFromError, httpGet, httpStatusFailure } from './http-get';
import { MjpegParser, boundaryFromContentType, isMultipartContentType, type MjpegParserStats } from './mjpeg-parser';
import {
  silentLogger,
  type CameraLogger,
  type Frame,
  type FrameSource,
  type SourceOutcome,
  type SourceRunContext,
} from './types';
import { redactCredentials } from './redact';

export interface MjpegReaderOptions {
  cameraId: string;
  /** No complete frame for this long → the connection is dropped with outcome 'stalled'. */
  stallTimeoutMs?: number;
  /** Time allowed for the response headers. */
  connectTimeoutMs?: number;
  maxPartBytes?: number;
  headers?: Record<string, string>;
  /** Accept a non-multipart Content-Type and find the JPEGs by their markers. Off: such a response is a 'not-multipart' failure. */
  allowNonMultipart?: boolean;
  logger?: CameraLogger;
  /** Called when the connection ends, with what the parser dropped or skipped. */
  onParserStats?: (stats: MjpegParserStats) => void;
}

export const DEFAULT_STALL_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Reads one MJPEG (multipart/x-mixed-replace) HTTP stream until it ends, stalls, fails or the signal
 * aborts, handing every complete JPEG to `onFrame`. Transport only: it never decodes the JPEG.
 */
export async function readMjpegStream(
  url: string,
  { signal, onFrame }: SourceRunContext,
  options: MjpegReaderOptions,
): Promise<SourceOutcome> {
  const logger = options.logger ?? silentLogger;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const opened = await httpGet(url, {
    signal,
    timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    headers: { Accept: 'multipart/x-mixed-replace, image/jpeg', ...options.headers },
  });
  if (opened.status === 'aborted') return { status: 'aborted', frames: 0 };
  if (opened.status === 'failed') return { status: 'failed', frames: 0, failure: opened.failure };
  const { request, response } = opened;

  const statusFailure = httpStatusFailure(response, url);
  const contentType = response.headers['content-type'];
  if (statusFailure !== null || (!isMultipartContentType(contentType) && !options.allowNonMultipart)) {
    request.destroy();
    response.resume();
    return {
      status: 'failed',
      frames: 0,
      failure: statusFailure ?? {
        code: 'not-multipart',
        message: `${redactCredentials(url)} sent Content-Type ${contentType ?? '(none)'}, not multipart/x-mixed-replace`,
      },
    };
  }
  const boundary = contentType === undefined ? null : boundaryFromContentType(contentType);
  if (boundary === null)
    logger.warn(
      { url: redactCredentials(url), contentType },
      'MJPEG stream without a boundary; finding frames by JPEG markers',
    );
  const parser = new MjpegParser({ boundary, maxPartBytes: options.maxPartBytes });

  return new Promise<SourceOutcome>((resolve) => {
    let frames = 0;
    let settled = false;
    const finish = (outcome: SourceOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(stallTimer);
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      options.onParserStats?.(parser.stats);
      resolve(outcome);
    };
    const stallTimer = setTimeout(() => finish({ status: 'stalled', frames, stallTimeoutMs }), stallTimeoutMs);
    const onAbort = () => finish({ status: 'aborted', frames });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();

    response.on('data', (chunk: Buffer) => {
      if (settled) return;
      for (const part of parser.push(chunk)) {
        frames += 1;
        stallTimer.refresh();
        const frame: Frame = { cameraId: options.cameraId, jpeg: part.jpeg, receivedAt: Date.now() };
        if (part.timestamp !== undefined) frame.timestamp = part.timestamp;
        try {
          onFrame(frame);
        } catch (error) {
          logger.error({ err: error, cameraId: options.cameraId }, 'frame consumer threw; frame skipped');
        }
      }
    });
    response.on('end', () => finish({ status: 'ended', frames }));
    response.on('close', () => finish({ status: 'ended', frames }));
    response.on('error', (error) => finish({ status: 'failed', frames, failure: failureFromError(error, url) }));
  });
}

export function mjpegSource(url: string, options: MjpegReaderOptions): FrameSource {
  return (context) => readMjpegStream(url, context, options);
}
