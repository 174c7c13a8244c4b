/**
 * A camera-like MJPEG server for tests: ffmpeg loops one JPEG (`-loop 1 -f mpjpeg` with the ESP32's
 * boundary) into its stdout, and a small node HTTP server hands that stream to every client. Unlike
 * ffmpeg's own `-listen 1` it serves several clients at once (the worker's pipeline and a camera test).
 */
import { spawn } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ESP32_PART_BOUNDARY } from '@/test/fixtures/camera/esp32-stream-server';

export interface MjpegFanout {
  url: string;
  clients(): number;
  /** Viewers turned away because `maxClients` were already watching. */
  refused(): number;
  close(): Promise<void>;
}

export async function startMjpegFanout(
  jpegPath: string,
  /** `maxClients: 1`: a one-viewer camera (ESP32 stock stream, our firmware); another viewer's connection is dropped. */
  opts: { fps?: number; userinfo?: string; maxClients?: number } = {},
): Promise<MjpegFanout> {
  const fps = opts.fps ?? 5;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-re',
    '-loop',
    '1',
    '-framerate',
    String(fps),
    '-i',
    jpegPath,
    '-f',
    'mpjpeg',
    '-boundary_tag',
    ESP32_PART_BOUNDARY,
    '-q:v',
    '3',
    'pipe:1',
  ];
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => ffmpeg.once('exit', () => resolve()));
  const clients = new Set<ServerResponse>();
  let refused = 0;
  ffmpeg.stdout.on('data', (chunk: Buffer) => {
    for (const res of clients) res.write(chunk);
  });
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/stream') return void res.writeHead(404).end('not found');
    if (opts.maxClients !== undefined && clients.size >= opts.maxClients) {
      refused += 1;
      return void req.socket.destroy();
    }
    res.writeHead(200, {
      'content-type': `multipart/x-mixed-replace;boundary=${ESP32_PART_BOUNDARY}`,
      'cache-control': 'no-store',
    });
    clients.add(res);
    res.on('close', () => clients.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.userinfo ? `${opts.userinfo}@` : ''}127.0.0.1:${port}/stream`,
    clients: () => clients.size,
    refused: () => refused,
    async close() {
      if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) ffmpeg.kill('SIGKILL');
      await exited;
      for (const res of clients) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
