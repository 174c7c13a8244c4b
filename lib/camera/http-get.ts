import http from 'node:http';
import https from 'node:https';
import type { CameraFailure } from './types';
import { redactCredentials } from './redact';

export type HttpGetResult =
  | { status: 'response'; request: http.ClientRequest; response: http.IncomingMessage }
  | { status: 'failed'; failure: CameraFailure }
  | { status: 'aborted' };

export interface HttpGetOptions {
  signal: AbortSignal;
  /** Time allowed until the response headers arrive. */
  timeoutMs: number;
  headers?: Record<string, string>;
}

/**
 * A GET whose connection problems come back as typed failures. The caller owns the response and
 * must `request.destroy()` when done. No keep-alive agent: a camera stream is one long request.
 */
export function httpGet(url: string, { signal, timeoutMs, headers }: HttpGetOptions): Promise<HttpGetResult> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ status: 'failed', failure: { code: 'invalid-url', message: `not a URL: ${redactCredentials(url)}` } });
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      resolve({
        status: 'failed',
        failure: {
          code: 'invalid-url',
          message: `unsupported protocol ${parsed.protocol} in ${redactCredentials(url)}`,
        },
      });
      return;
    }
    if (signal.aborted) {
      resolve({ status: 'aborted' });
      return;
    }
    let settled = false;
    const client = parsed.protocol === 'https:' ? https : http;
    const request = client.get(parsed, { headers, agent: false });
    const settle = (result: HttpGetResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (result.status !== 'response') request.destroy();
      resolve(result);
    };
    const onAbort = () => settle({ status: 'aborted' });
    const timer = setTimeout(
      () =>
        settle({
          status: 'failed',
          failure: { code: 'timeout', message: `no response from ${redactCredentials(url)} within ${timeoutMs} ms` },
        }),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    // Errors after settling (e.g. from our own destroy) are expected; the listener keeps them handled.
    request.on('error', (error) => settle({ status: 'failed', failure: failureFromError(error, url) }));
    request.on('response', (response) => settle({ status: 'response', request, response }));
  });
}

export function failureFromError(error: unknown, url: string): CameraFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED')
    return { code: 'connection-refused', message: `connection refused by ${redactCredentials(url)}` };
  if (code === 'ETIMEDOUT') return { code: 'timeout', message: `connection to ${redactCredentials(url)} timed out` };
  return { code: 'network', message: `${redactCredentials(url)}: ${detail}` };
}

export function httpStatusFailure(response: http.IncomingMessage, url: string): CameraFailure | null {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return null;
  return {
    code: 'http-status',
    httpStatus: status,
    message: `${redactCredentials(url)} answered HTTP ${status} ${response.statusMessage ?? ''}`.trim(),
  };
}
