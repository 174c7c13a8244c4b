/**
 * The push endpoint's route handlers called directly with Request objects, against a real database
 * and a fake worker ingest endpoint started here (it records what the web side forwards).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Camera } from '@/db/schema';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { setCameraPushToken } from '@/lib/data/cameras';
import { generatePushToken } from '@/lib/devices/push-token';
import { resetEnvCache } from '@/lib/env';
import { makeCamera } from '@/test/factories';
import { countingStream } from '@/test/helpers/counting-stream';
import { useThrowawayDatabase } from './throwaway-db';

vi.mock('@/lib/auth/session', () => ({
  requireUser: () => Promise.reject(new Error('public routes never ask for a session')),
}));
const { POST: postFrame } = await import('@/app/api/devices/[deviceId]/frames/route');
const { POST: postHeartbeat } = await import('@/app/api/devices/[deviceId]/heartbeat/route');

useThrowawayDatabase();

const INTERNAL_TOKEN = 'test-internal-token-0123456789';
type Received = { url: string; headers: IncomingHttpHeaders; body: Buffer };
const received: Received[] = [];
let workerStatus = 202;
let worker: Server;
const saved = { WORKER_URL: process.env.WORKER_URL, INTERNAL_TOKEN: process.env.INTERNAL_TOKEN };

beforeAll(async () => {
  worker = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(workerStatus).end();
    });
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  process.env.WORKER_URL = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
  process.env.INTERNAL_TOKEN = INTERNAL_TOKEN;
  resetEnvCache();
});

afterAll(async () => {
  await new Promise((resolve) => worker.close(resolve));
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

async function pushCamera(mode: 'push' | 'pull' = 'push'): Promise<{ camera: Camera; token: string }> {
  const camera = await makeCamera({ mode });
  const generated = generatePushToken();
  const { token } = generated;
  await setCameraPushToken(camera.cameraId, generated, null);
  return { camera, token };
}

const ctx = (deviceId: string) => ({ params: Promise.resolve({ deviceId }) });
function frame(deviceId: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string>) {
  const init = { method: 'POST', body: body as BodyInit, headers, duplex: 'half' } as RequestInit;
  return postFrame(new Request(`http://test/api/devices/${deviceId}/frames`, init), ctx(deviceId));
}
const jpegHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' });
let goodJpeg: Buffer;
beforeAll(async () => {
  goodJpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();
});

describe('POST /api/devices/:deviceId/frames', () => {
  it('answers 401 for a missing or wrong token, an unknown device and a pull camera — all alike', async () => {
    const { camera, token } = await pushCamera();
    const pull = await pushCamera('pull');
    const responses = [
      await frame(camera.cameraId, goodJpeg, { 'content-type': 'image/jpeg' }),
      await frame(camera.cameraId, goodJpeg, jpegHeaders(generatePushToken().token)),
      await frame(camera.cameraId, goodJpeg, jpegHeaders(pull.token)),
      await frame('no-such-camera', goodJpeg, jpegHeaders(token)),
      await frame(pull.camera.cameraId, goodJpeg, jpegHeaders(pull.token)),
    ];
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(responses[0].headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 415 for another content type', async () => {
    const { camera, token } = await pushCamera();
    const res = await frame(camera.cameraId, goodJpeg, {
      authorization: `Bearer ${token}`,
      'content-type': 'image/png',
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.message).toMatch(/image\/jpeg/);
  });

  it('answers 413 to a declared 3 MB body without reading it', async () => {
    const { camera, token } = await pushCamera();
    const { stream, pulled } = countingStream(3_000_000);
    const res = await frame(camera.cameraId, stream, { ...jpegHeaders(token), 'content-length': '3000000' });
    expect(res.status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(2 * 65_536);
  });

  it('answers 413 to a 50 MB chunked body after reading little more than the limit', async () => {
    const { camera, token } = await pushCamera();
    const { stream, pulled } = countingStream(50_000_000);
    const res = await frame(camera.cameraId, stream, jpegHeaders(token));
    expect(res.status).toBe(413);
    expect(pulled()).toBeLessThan(2_000_000 + 3 * 65_536);
  });

  it('answers 400 with a clear message to a truncated JPEG and to something that is not a JPEG', async () => {
    const { camera, token } = await pushCamera();
    const truncated = await frame(camera.cameraId, goodJpeg.subarray(0, goodJpeg.length - 40), jpegHeaders(token));
    expect(truncated.status).toBe(400);
    expect((await truncated.json()).error.message).toMatch(/Truncated JPEG/);
    const png = await frame(camera.cameraId, await sharp(goodJpeg).png().toBuffer(), jpegHeaders(token));
    expect(png.status).toBe(400);
    expect((await png.json()).error.message).toMatch(/FFD8/);
  });

  it('answers 413 in words to a 5 MP JPEG (camera frames are capped at ~4 MP), without forwarding it', async () => {
    const { camera, token } = await pushCamera();
    const big = await sharp({ create: { width: 2592, height: 1944, channels: 3, background: '#468' } })
      .jpeg({ quality: 50 })
      .toBuffer();
    expect(big.length).toBeLessThan(2_000_000); // under PUSH_MAX_BYTES: only the pixel cap refuses it
    const before = received.length;
    const res = await frame(camera.cameraId, big, jpegHeaders(token));
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(/2592×1944 pixels \(5\.0 MP\).*at most 4\.2 MP/);
    expect(received.length).toBe(before);
    // 2048×2048 is still taken.
    const edge = await sharp({ create: { width: 2048, height: 2048, channels: 3, background: '#468' } })
      .jpeg({ quality: 50 })
      .toBuffer();
    expect((await frame(camera.cameraId, edge, jpegHeaders(token))).status).toBe(202);
  });

  it('forwards a good frame to the worker with the exact bytes and the internal token, and marks the camera seen', async () => {
    const { camera, token } = await pushCamera();
    received.length = 0;
    const res = await frame(camera.cameraId, goodJpeg, jpegHeaders(token));
    expect(res.status).toBe(202);
    expect(received).toHaveLength(1);
    expect(received[0].url).toBe(`/internal/frames/${camera.cameraId}`);
    expect(received[0].headers['x-internal-token']).toBe(INTERNAL_TOKEN);
    expect(received[0].headers['content-type']).toBe('image/jpeg');
    expect(received[0].body.equals(goodJpeg)).toBe(true);
    await vi.waitFor(async () => expect((await getCameraOrThrow(camera.cameraId)).lastSeenAt).not.toBeNull());
  });

  it('accepts the camera name as the device id (the firmware DEVICE_ID)', async () => {
    const { camera, token } = await pushCamera();
    received.length = 0;
    const res = await frame(camera.name, goodJpeg, jpegHeaders(token));
    expect(res.status).toBe(202);
    expect(received[0].url).toBe(`/internal/frames/${camera.cameraId}`);
  });

  it('answers 429 with Retry-After beyond PUSH_MAX_FPS (default 5) frames per second', async () => {
    const { camera, token } = await pushCamera();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => frame(camera.cameraId, goodJpeg, jpegHeaders(token))),
    );
    const limited = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 202).length).toBe(5);
    expect(limited.length).toBe(5);
    for (const r of limited) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 with Retry-After when the worker cannot take the frame', async () => {
    const { camera, token } = await pushCamera();
    workerStatus = 503;
    try {
      const res = await frame(camera.cameraId, goodJpeg, jpegHeaders(token));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
    } finally {
      workerStatus = 202;
    }
  });
});

describe('POST /api/devices/:deviceId/heartbeat', () => {
  it('stores the reported status and last_heartbeat_at', async () => {
    const { camera, token } = await pushCamera();
    const body = {
      rssi: -61,
      free_heap: 123456,
      uptime_s: 3600,
      frames_sent: 42,
      failures: 0,
      reset_reason: 'poweron',
    };
    const req = new Request(`http://test/api/devices/${camera.cameraId}/heartbeat`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const res = await postHeartbeat(req, ctx(camera.cameraId));
    expect(res.status).toBe(200);
    const stored = await getCameraOrThrow(camera.cameraId);
    expect(stored.heartbeat).toEqual(body);
    expect(stored.lastHeartbeatAt).toBeInstanceOf(Date);
    expect(stored.status).toBe('online');
  });

  it('needs the device token too', async () => {
    const { camera } = await pushCamera();
    const req = new Request(`http://test/api/devices/${camera.cameraId}/heartbeat`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect((await postHeartbeat(req, ctx(camera.cameraId))).status).toBe(401);
  });
});
