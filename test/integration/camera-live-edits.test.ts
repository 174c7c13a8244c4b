/**
 * A running worker pipeline (real engine pool, hub, camera leases) and real ffmpeg MJPEG sources:
 * - a pull camera's last_seen_at follows the frames the worker receives, so it shows online;
 * - a new stream URL is read within one refresh (the old connection closed), a switch to push
 *   closes the pull connection, and a leased pull camera that had no URL starts once it has one;
 * - "Test connection" on a one-viewer camera the worker holds uses the worker's own connection
 *   (through the real route and the worker's test-frame handler) instead of a refused second viewer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { getCameraOrThrow, isCameraOnline, updateCamera } from '@/lib/data/cameras';
import { testFrameHandler } from '@/lib/devices/internal-test-frame';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { resetStorage } from '@/lib/storage';
import { startCameraPipeline, type CameraPipeline } from '@/workers/camera-pipeline';
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

const skip = ffmpegAvailable() ? null : 'needs ffmpeg';
skipUnlessCi(skip, `camera live-edit tests skipped: ${skip}`);

/** The worker's session/camera refresh in these tests (15 s in production). */
const REFRESH_MS = 1_000;
const TOKEN = 'camera-live-edits-internal-token-0123';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function testConnection(cameraId: string) {
  const { POST } = (await import('@/app/api/cameras/[cameraId]/test/route')) as unknown as { POST: Handler };
  const res = await POST(
    new Request(`http://test/api/cameras/${cameraId}/test`, { method: 'POST', headers: { origin: 'http://test' } }),
    { params: Promise.resolve({ cameraId }) },
  );
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The mean colour of a JPEG: red for the first source, blue for the second. */
async function colourOf(jpeg: Buffer): Promise<'red' | 'blue' | 'other'> {
  const { channels } = await sharp(jpeg).stats();
  const [r, , b] = channels.map((c) => c.mean);
  return r! > 150 && b! < 100 ? 'red' : b! > 150 && r! < 100 ? 'blue' : 'other';
}

describe.skipIf(skip !== null)(
  'a running worker follows camera edits and reports pull cameras',
  () => {
    useThrowawayDatabase();
    let dir: string;
    let pool: FaceEnginePool;
    let red: MjpegFanout;
    let blue: MjpegFanout;
    let pipeline: CameraPipeline;
    let worker: Awaited<ReturnType<typeof startWorkerHttpServer>>;
    const controller = new AbortController();
    const saved = {
      WORKER_URL: process.env.WORKER_URL,
      WORKER_PORT: process.env.WORKER_PORT,
      INTERNAL_TOKEN: process.env.INTERNAL_TOKEN,
      WORKER_ID: process.env.WORKER_ID,
    };

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'camera-live-'));
      const port = await freePort();
      // No WORKER_URL: the web side finds the camera's worker through its lease, as in a scaled install.
      delete process.env.WORKER_URL;
      process.env.WORKER_PORT = String(port);
      process.env.WORKER_ID = 'live-edits-worker';
      process.env.INTERNAL_TOKEN = TOKEN;
      process.env.DATA_DIR = path.join(dir, 'data');
      resetEnvCache();
      resetStorage();
      const still = async (name: string, background: string) => {
        const file = path.join(dir, `${name}.jpg`);
        await writeFile(
          file,
          await sharp({ create: { width: 320, height: 240, channels: 3, background } })
            .jpeg()
            .toBuffer(),
        );
        return file;
      };
      // One-viewer sources, like an ESP32-CAM: a second connection is dropped.
      red = await startMjpegFanout(await still('red', '#e01010'), { fps: 5, maxClients: 1 });
      blue = await startMjpegFanout(await still('blue', '#1010e0'), { fps: 5, maxClients: 1 });
      pool = await FaceEnginePool.start({ size: 1 });
      const admin = await makeUser({ role: 'admin' });
      signedIn = { id: admin.userId, role: 'admin', email: admin.email };
    }, 120_000);

    afterAll(async () => {
      controller.abort();
      await pipeline?.stop();
      if (worker) await closeServer(worker);
      await red?.close();
      await blue?.close();
      await pool?.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      delete process.env.DATA_DIR;
      resetEnvCache();
      resetStorage();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('a pull camera is online while its worker receives frames; a new URL is read within one refresh; push closes the pull connection; the held camera is tested on its own connection', async () => {
      const camera = await makeCamera({ mode: 'pull', streamUrl: red.url, liveness: 'block' });
      expect(camera.lastSeenAt).toBeNull();
      // Leased but not readable yet: a pull camera added without its URL.
      const later = await makeCamera({ mode: 'pull', streamUrl: null });
      pipeline = await startCameraPipeline(
        { pool, settings: env(), log: createLogger('live-edits'), sessionRefreshMs: REFRESH_MS },
        controller.signal,
      );
      const settings = env();
      worker = await startWorkerHttpServer({
        port: settings.WORKER_PORT,
        registry: new Registry(),
        internalToken: TOKEN,
        health: async () => ({ status: 'ok' }) as never,
        handle: testFrameHandler({
          internalToken: TOKEN,
          held: (cameraId, url) => pipeline.heldConnection(cameraId, url),
          findFaces: async (jpeg) => {
            const { width = 0, height = 0 } = await sharp(jpeg).metadata();
            return { width, height, boxes: [] };
          },
          timeoutMs: 3_000,
        }),
      });
      const stats = () => pipeline.stats().cameras.find((c) => c.cameraId === camera.cameraId);

      // 1. The worker reads the pull camera: it is marked seen, so the dashboard shows it online.
      await expect.poll(() => red.clients(), { timeout: 20_000 }).toBe(1);
      await expect
        .poll(async () => (await getCameraOrThrow(camera.cameraId)).lastSeenAt, { timeout: 10_000 })
        .not.toBeNull();
      const seen = await getCameraOrThrow(camera.cameraId);
      expect(seen.status).toBe('online');
      expect(isCameraOnline(seen)).toBe(true);

      // 2. "Test connection" while the worker holds the one-viewer camera: its own frame, no second viewer.
      const tested = await testConnection(camera.cameraId);
      expect(tested.status, JSON.stringify(tested.json).slice(0, 300)).toBe(200);
      expect(tested.json).toMatchObject({ ok: true, width: 320, height: 240, held: { state: 'streaming' } });
      const image = Buffer.from(String(tested.json.image).replace(/^data:image\/jpeg;base64,/, ''), 'base64');
      expect(await colourOf(image)).toBe('red');
      expect(red.refused()).toBe(0);
      expect(red.clients()).toBe(1);

      // 3. A new URL: within one refresh the old connection is closed and frames come from the new source.
      await updateCamera(camera.cameraId, { streamUrl: blue.url }, null);
      const changedAt = Date.now();
      await expect.poll(() => blue.clients(), { timeout: REFRESH_MS + 5_000, interval: 100 }).toBe(1);
      const tookMs = Date.now() - changedAt;
      expect(red.clients()).toBe(0);
      const held = pipeline.heldConnection(camera.cameraId, blue.url);
      expect(held).toBeDefined();
      await expect.poll(async () => colourOf(held!.latest()!.jpeg), { timeout: 5_000 }).toBe('blue');
      expect(stats()).toMatchObject({ mode: 'pull', state: 'streaming' });
      console.info(`camera live edits: new URL read ${tookMs} ms after the edit (refresh every ${REFRESH_MS} ms)`);
      // The settings not named in the edit stay.
      expect(await getCameraOrThrow(camera.cameraId)).toMatchObject({ mode: 'pull', liveness: 'block' });

      // 4. Switched to push: the pull connection is closed within one refresh; pushed frames are taken.
      await updateCamera(camera.cameraId, { mode: 'push' }, null);
      await expect.poll(() => blue.clients(), { timeout: REFRESH_MS + 5_000, interval: 100 }).toBe(0);
      await expect.poll(() => stats()?.mode, { timeout: 2_000 }).toBe('push');
      expect(pipeline.heldConnection(camera.cameraId, blue.url)).toBeUndefined();
      expect(red.clients()).toBe(0);

      // 5. The camera without a URL gets one: read within one refresh, without waiting for a new lease.
      expect(pipeline.stats().leases.cameras).toContain(later.cameraId);
      await updateCamera(later.cameraId, { streamUrl: red.url }, null);
      await expect.poll(() => red.clients(), { timeout: REFRESH_MS + 5_000, interval: 100 }).toBe(1);
    });
  },
  180_000,
);
