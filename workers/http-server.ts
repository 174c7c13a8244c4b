import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import type { HealthReport } from '@/lib/health';

export interface WorkerHttpOptions {
  port: number;
  host?: string;
  registry: Registry;
  health: () => Promise<HealthReport>;
  /** Extra routes (the camera stage's frame ingest); returns true when it answered the request. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Told of a handler that threw (answered 500). */
  onError?: (err: unknown, req: IncomingMessage) => void;
}

/**
 * GET /healthz (JSON, 503 when degraded) and GET /metrics (Prometheus text), plus the camera stage's
 * routes. A handler that throws answers 500 for that request; it never takes the worker down.
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
  server.listen(opts.port, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  return server;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
