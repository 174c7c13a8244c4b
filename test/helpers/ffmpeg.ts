import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

/** Every ffmpeg this helper started and that has not exited; killed by stopAllFfmpeg() and on exit. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function ffmpegAvailable(): boolean {
  return spawnSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' }).status === 0;
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface FfmpegMjpegServerOptions {
  port: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Send a proper multipart Content-Type; ffmpeg's HTTP server says application/octet-stream otherwise. */
  multipartContentType?: boolean;
}

export interface FfmpegMjpegServer {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** ffmpeg's stderr so far (errors only: -loglevel error). */
  stderr(): string;
  kill(): Promise<void>;
}

/**
 * ffmpeg serving its test pattern as MJPEG (`-f mpjpeg`) over its own HTTP server. `-listen 1`
 * serves one client and exits when that client goes, like a real single-client camera.
 */
export async function startFfmpegMjpegServer(options: FfmpegMjpegServerOptions): Promise<FfmpegMjpegServer> {
  const { port, width = 320, height = 240, fps = 15, multipartContentType = true } = options;
  const url = `http://127.0.0.1:${port}/stream`;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${width}x${height}:rate=${fps}`,
    '-f',
    'mpjpeg',
    '-q:v',
    '5',
    ...(multipartContentType ? ['-content_type', 'multipart/x-mixed-replace;boundary=ffmpeg'] : []),
    '-listen',
    '1',
    url,
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.once('error', () => {
      running.delete(child);
      resolve();
    });
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const listening = await waitUntilListening(port, exited, 5_000);
  if (!listening) {
    await kill();
    throw new Error(`ffmpeg did not start listening on ${url}: ${stderr.trim() || '(no output)'}`);
  }
  return { url, child, exited, stderr: () => stderr, kill };
}

export async function stopAllFfmpeg(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

/**
 * Waits until 127.0.0.1:port is listening, or has already accepted its one client (ffmpeg closes
 * the listening socket on accept, and a reconnecting reader can get there before we look), by
 * reading /proc/net/tcp. Probing with a connection would not do: `-listen 1` would take the probe
 * for its one client.
 */
export async function waitUntilListening(port: number, exited: Promise<void>, timeoutMs: number): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  if (!existsSync('/proc/net/tcp')) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return !gone;
  }
  // local address 127.0.0.1:port, any remote, state 0A (LISTEN) or 01 (ESTABLISHED)
  const ready = new RegExp(
    `^\\s*\\d+: 0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} [0-9A-F]{8}:[0-9A-F]{4} (0A|01) `,
    'm',
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    if (ready.test(readFileSync('/proc/net/tcp', 'latin1'))) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
