/**
 * Camera setup through the real routes and database: a pull camera without an http(s) URL is a 400 in
 * words; a push camera's token comes with its config.h lines; "Test connection" asks a worker HTTP
 * server (the real test-frame handler with the real engine pool) to read one frame of a real ffmpeg
 * MJPEG stream of an LFW face, and reports the faces' widths — or the failure in words, credentials
 * stripped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { findCameraByName, getCameraOrThrow } from '@/lib/data/cameras';
import { testFrameHandler } from '@/lib/devices/internal-test-frame';
import { verifyPushToken } from '@/lib/devices/push-token';
import { resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { closeServer, startWorkerHttpServer } from '@/workers/http-server';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import { startMjpegFanout, type MjpegFanout } from '@/test/helpers/mjpeg-fanout';
import { skipUnlessCi } from '@/test/helpers/needs';
import { makeCamera, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(routePath: string, method: string, params: Record<string, string>, body?: unknown) {
  const mod = (await import(/* @vite-ignore */ `@/app/api/${routePath}/route`)) as Record<string, Handler>;
  const init: RequestInit = { method, headers: { origin: 'http://test', 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await mod[method]!(new Request(`http://test/api/${routePath}`, init), {
    params: Promise.resolve(params),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  const admin = await makeUser({ role: 'admin' });
  signedIn = { id: admin.userId, role: 'admin', email: admin.email };
});

describe('POST /api/cameras and PATCH /api/cameras/:id: a pull camera needs an http(s) URL', () => {
  it.each([
    [{ mode: 'pull' }, /^A pull camera needs the http:\/\/ or https:\/\/ address the worker reads it from/],
    [
      { mode: 'pull', streamUrl: 'rtsp://admin:hunter2@10.0.0.5/live' },
      /^The stream URL must be an http:\/\/ or https:\/\/ address .*"rtsp:\/\/\*\*\*@10\.0\.0\.5\/live" is not/,
    ],
    [
      { mode: 'pull', streamUrl: '192.168.1.50:81/stream' },
      /^The stream URL must be an http:\/\/ or https:\/\/ address/,
    ],
  ])('%o → 400 in plain words, nothing created', async (body, message) => {
    const name = `cam-${Math.random().toString(36).slice(2, 8)}`;
    const res = await call('cameras', 'POST', {}, { name, ...body });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(message);
    expect(JSON.stringify(res.json)).not.toContain('hunter2');
    expect(await findCameraByName(name)).toBeUndefined();
  });

  it('a pull camera with its URL: 201, no token and no firmware lines', async () => {
    const res = await call(
      'cameras',
      'POST',
      {},
      { name: 'pull-ok', mode: 'pull', streamUrl: 'http://10.0.0.5:81/stream', liveness: 'block' },
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      token: null,
      firmwareConfig: null,
      camera: { mode: 'pull', streamUrl: 'http://10.0.0.5:81/stream', liveness: 'block', tokenPrefix: null },
    });
  });

  it('a push camera: its token once, inside the exact config.h lines, and the token works', async () => {
    const res = await call('cameras', 'POST', {}, { name: 'push-ok', mode: 'push', room: 'A101' });
    expect(res.status).toBe(201);
    const { camera, token, firmwareConfig } = res.json;
    expect(firmwareConfig).toBe(
      `#define MODE "push"\n#define SERVER_URL "http://test"\n#define DEVICE_ID "${camera.cameraId}"\n#define DEVICE_TOKEN "${token}"`,
    );
    // The macro names are the firmware's own.
    const example = await import('node:fs').then((fs) =>
      fs.readFileSync('firmware/esp32-cam/config.example.h', 'utf8'),
    );
    for (const macro of ['MODE', 'SERVER_URL', 'DEVICE_ID', 'DEVICE_TOKEN'])
      expect(example).toMatch(new RegExp(`^#define ${macro} `, 'm'));
    const stored = await getCameraOrThrow(camera.cameraId);
    expect(verifyPushToken(token, stored.tokenHash)).toBe(true);
    // A rotated token comes with new lines too.
    const rotated = await call('cameras/[cameraId]/token', 'POST', { cameraId: camera.cameraId });
    expect(rotated.json.firmwareConfig).toContain(`#define DEVICE_TOKEN "${rotated.json.token}"`);
  });

  it('PATCH to pull without a URL is 400; other edits of such a camera still work', async () => {
    const push = await makeCamera({ mode: 'push' });
    const res = await call('cameras/[cameraId]', 'PATCH', { cameraId: push.cameraId }, { mode: 'pull' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^A pull camera needs/);
    expect((await getCameraOrThrow(push.cameraId)).mode).toBe('push');
    const broken = await makeCamera({ mode: 'pull' }); // made before this rule
    expect((await call('cameras/[cameraId]', 'PATCH', { cameraId: broken.cameraId }, { room: 'B2' })).status).toBe(200);
    expect(
      (
        await call(
          'cameras/[cameraId]',
          'PATCH',
          { cameraId: broken.cameraId },
          { streamUrl: 'http://10.0.0.9:81/stream' },
        )
      ).status,
    ).toBe(200);
  });
});

const FACE = path.resolve('../shared/faces/lfw-dev/known/Al_Gore/Al_Gore_0001.jpg');
const skip = !existsSync(FACE) ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
skipUnlessCi(skip, `camera test-connection tests skipped: ${skip}`);

describe.skipIf(skip !== null)('POST /api/cameras/:id/test against a worker and a real MJPEG stream', () => {
  const TOKEN = 'camera-test-internal-token-0123';
  let pool: FaceEnginePool;
  let worker: Awaited<ReturnType<typeof startWorkerHttpServer>>;
  let dir: string;
  let near: MjpegFanout;
  let far: MjpegFanout;
  let silent: Server;
  const saved = { WORKER_URL: process.env.WORKER_URL, INTERNAL_TOKEN: process.env.INTERNAL_TOKEN };

  /** The LFW photo pasted at `scale` onto a 640×480 grey classroom-sized frame. */
  async function frame(scale: number, file: string): Promise<string> {
    const size = Math.round(150 * scale);
    const face = await sharp(FACE).resize(size, size).toBuffer();
    await sharp({ create: { width: 640, height: 480, channels: 3, background: '#7a8590' } })
      .composite([{ input: face, left: 200, top: 120 }])
      .jpeg({ quality: 90 })
      .toFile(file);
    return file;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'camera-test-'));
    pool = await FaceEnginePool.start({ size: 1 });
    const handle = testFrameHandler({
      internalToken: TOKEN,
      findFaces: async (jpeg) => {
        const a = await pool.analyzeFrame(jpeg, { minFaceSize: 20 });
        return { width: a.width, height: a.height, boxes: a.faces.map((f) => f.face.box) };
      },
      timeoutMs: 3_000,
    });
    worker = await startWorkerHttpServer({
      port: await freePort(),
      registry: new Registry(),
      internalToken: TOKEN,
      health: async () => ({ status: 'ok' }) as never,
      handle,
    });
    process.env.WORKER_URL = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
    process.env.INTERNAL_TOKEN = TOKEN;
    resetEnvCache();
    near = await startMjpegFanout(await frame(1.5, path.join(dir, 'near.jpg')), { userinfo: 'admin:hunter2' });
    far = await startMjpegFanout(await frame(0.45, path.join(dir, 'far.jpg')));
    // Accepts connections and never answers: a camera that hangs.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  }, 120_000);

  afterAll(async () => {
    await near?.close();
    await far?.close();
    silent?.closeAllConnections();
    await new Promise((resolve) => silent?.close(resolve));
    if (worker) await closeServer(worker);
    await pool?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a near face: the frame with its box, the width in pixels, "big enough"', async () => {
    const camera = await makeCamera({ streamUrl: near.url });
    const res = await call('cameras/[cameraId]/test', 'POST', { cameraId: camera.cameraId });
    expect(res.status, JSON.stringify(res.json).slice(0, 300)).toBe(200);
    expect(res.json).toMatchObject({
      ok: true,
      width: 640,
      height: 480,
      report: { verdict: 'ok', faces: 1, minFaceSize: 20, reliablePx: 40 },
    });
    expect(res.json.faces[0].width).toBeGreaterThanOrEqual(60);
    expect(res.json.summary).toMatch(/^1 face\(s\), \d+ px wide: big enough/);
    const jpeg = Buffer.from(String(res.json.image).replace(/^data:image\/jpeg;base64,/, ''), 'base64');
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
  });

  it('a far face: found, but too small for reliable recognition', async () => {
    const camera = await makeCamera({ streamUrl: far.url });
    const res = await call('cameras/[cameraId]/test', 'POST', { cameraId: camera.cameraId });
    expect(res.json).toMatchObject({ ok: true, report: { verdict: 'small', faces: 1 } });
    expect(res.json.faces[0].width).toBeLessThan(40);
    expect(res.json.summary).toMatch(/too small for reliable recognition/);
  });

  it.each([
    ['refused', async () => `http://viewer:hunter2@127.0.0.1:${await freePort()}/stream`],
    ['timeout', async () => `http://127.0.0.1:${(silent.address() as AddressInfo).port}/stream?token=hunter2`],
    ['not-found', async () => near.url.replace('/stream', '/nope')],
  ])('%s: the failure in words, credentials stripped', async (kind, url) => {
    const camera = await makeCamera({ streamUrl: await url() });
    const started = Date.now();
    const res = await call('cameras/[cameraId]/test', 'POST', { cameraId: camera.cameraId });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, error: { kind } });
    expect(res.json.error.message.length).toBeGreaterThan(30);
    expect(JSON.stringify(res.json)).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a push camera has nothing to test (400 in words); an unreachable worker is 503', async () => {
    const push = await makeCamera({ mode: 'push' });
    const res = await call('cameras/[cameraId]/test', 'POST', { cameraId: push.cameraId });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^A push camera sends its frames to the dashboard itself/);
    process.env.WORKER_URL = `http://127.0.0.1:${await freePort()}`;
    resetEnvCache();
    const camera = await makeCamera({ streamUrl: near.url });
    const down = await call('cameras/[cameraId]/test', 'POST', { cameraId: camera.cameraId });
    expect(down.status).toBe(503);
    expect(down.json.error.message).toMatch(/recognition worker is not reachable/);
  });
});
