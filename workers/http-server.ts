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
}

/** GET /healthz (JSON, 503 when degraded) and GET /metrics (Prometheus text). */
export async function startWorkerHttpServer(opts: WorkerHttpOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (opts.handle?.(req, res)) return;
    if (req.method !== 'GET') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') {
      opts.health().then(
        (report) => send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report)),
        (err: unknown) => send(500, 'application/json', JSON.stringify({ status: 'error', error: String(err) })),
      );
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => send(200, opts.registry.contentType, text),
        (err: unknown) => send(500, 'text/plain', String(err)),
      );
      return;
    }
    send(404, 'text/plain', 'not found\n');
  });
  server.listen(opts.port, opts.host ?? '0.0.0.0');
  await once(server, 'listening');
  return server;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
