import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import { INTERNAL_TOKEN_HEADER, isValidInternalToken } from '@/lib/devices/internal-frames';
import type { HealthReport } from '@/lib/health';

export interface WorkerHttpOptions {
  port: number;
  host?: string;
  registry: Registry;
  health: () => Promise<HealthReport>;
  /** /healthz and /metrics answer a caller on another host only with this token (x-internal-token). */
  internalToken: string;
  /** Also accepted for /metrics, as `Authorization: Bearer <METRICS_TOKEN>` (what a Prometheus scrape sends). */
  metricsToken?: string;
  /** Extra routes (the camera stage's frame ingest); returns true when it answered the request. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Told of a handler that threw (answered 500). */
  onError?: (err: unknown, req: IncomingMessage) => void;
}

/** A peer on this machine (or in this container): the compose healthcheck, a local Prometheus. */
function fromLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

/**
 * GET /healthz (JSON, 503 when degraded) and GET /metrics (Prometheus text), plus the camera stage's
 * routes. A handler that throws answers 500 for that request; it never takes the worker down.
 * Health and metrics name cameras, rooms and errors: a caller that is not on loopback needs the
 * internal token (the web app sends it), or METRICS_TOKEN for /metrics; 401 otherwise.
 */
export async function startWorkerHttpServer(opts: WorkerHttpOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      if (res.headersSent) return void res.end();
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      route(req, res, send);
    } catch (err) {
      opts.onError?.(err, req);
      send(500, 'application/json', JSON.stringify({ error: 'internal error' }));
    }
  });
  const route = (
    req: IncomingMessage,
    res: ServerResponse,
    send: (status: number, type: string, body: string) => void,
  ) => {
    const path = (req.url ?? '/').split('?')[0];
    if (opts.handle?.(req, res)) return;
    if (req.method !== 'GET') return send(405, 'text/plain', 'method not allowed\n');
    if ((path === '/healthz' || path === '/metrics') && !mayRead(req, path))
      return send(
        401,
        'application/json',
        JSON.stringify({
          error: `${path} needs the ${INTERNAL_TOKEN_HEADER} header (INTERNAL_TOKEN)${path === '/metrics' ? ' or Authorization: Bearer <METRICS_TOKEN>' : ''} when not called from loopback`,
        }),
      );
    if (path === '/healthz') {
      opts.health().then(
        (report) => send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report)),
        (err: unknown) => {
          opts.onError?.(err, req);
          send(
            500,
            'application/json',
            JSON.stringify({ status: 'error', error: 'health check failed; see the worker log' }),
          );
        },
      );
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => send(200, opts.registry.contentType, text),
        (err: unknown) => {
          opts.onError?.(err, req);
          send(500, 'text/plain', 'metrics failed; see the worker log\n');
        },
      );
      return;
    }
    send(404, 'text/plain', 'not found\n');
  };
  const mayRead = (req: IncomingMessage, path: string) =>
    fromLoopback(req) ||
    isValidInternalToken(req.headers[INTERNAL_TOKEN_HEADER], opts.internalToken) ||
    (path === '/metrics' &&
      opts.metricsToken !== undefined &&
      isValidInternalToken(req.headers.authorization, `Bearer ${opts.metricsToken}`));
  server.listen(opts.port, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  return server;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
