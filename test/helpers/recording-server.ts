/** A local HTTP server that records every request and answers with scripted statuses (default 200). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Recorded = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

export interface RecordingServer {
  url: string;
  requests: Recorded[];
  /** Statuses for the next requests, in order; then 200. */
  respond(...statuses: number[]): void;
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: Recorded[] = [];
  const script: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(script.shift() ?? 200, { 'content-type': 'application/json' }).end('{"ok":true}');
      for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (...statuses) => void script.push(...statuses),
    waitFor: (n, timeoutMs = 5_000) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const t = setTimeout(
              () => reject(new Error(`only ${requests.length} of ${n} requests arrived`)),
              timeoutMs,
            );
            waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
          }),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
