/**
 * The cameras of a university's first week, in Chromium against a real build and a real worker
 * process reading an ffmpeg pull camera that serves one viewer (as an ESP32-CAM does):
 * - the pull camera shows "online" on /cameras and on the overview while its worker reads it;
 * - "Test connection" uses the worker's own connection instead of a second, refused, viewer;
 * - the dashboard's liveness buttons and edit form change only what they name: the camera stays pull,
 *   with its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '@/db/schema';
import { DEMO_ADMIN_EMAIL } from '@/db/seed';
import { createCamera, getCameraOrThrow } from '@/lib/data/cameras';
import { ffmpegAvailable } from '@/test/helpers/ffmpeg';
import { startMjpegFanout, type MjpegFanout } from '@/test/helpers/mjpeg-fanout';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

const NAME = 'First week pull';
let app: E2eApp;
let browser: Browser;
let page: Page;
let worker: ChildProcess;
let workerLog = '';
let stream: MjpegFanout;
let dir: string;
let camera: Camera;

/** Reloads `url` until `check` holds (the worker and the page each take a few seconds). */
async function reloadUntil(
  url: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  state: () => Promise<string>,
) {
  const deadline = Date.now() + timeoutMs;
  await page.goto(url);
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`${what} not seen in ${timeoutMs} ms (${await state()}); worker log:\n${workerLog.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 1_000));
    await page.reload();
  }
}

describe.skipIf(!ffmpegAvailable())('cameras in the first week, in Chromium with a worker', () => {
  beforeAll(async () => {
    app = await startApp();
    dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-first-week-'));
    const frame = path.join(dir, 'room.jpg');
    await sharp({ create: { width: 640, height: 480, channels: 3, background: '#7a8590' } })
      .jpeg()
      .toFile(frame);
    stream = await startMjpegFanout(frame, { maxClients: 1 });
    camera = await createCamera(
      { name: NAME, room: 'FW1', mode: 'pull', streamUrl: stream.url, snapshotUrl: null, liveness: 'block' },
      null,
      null,
    );
    worker = spawn('node_modules/.bin/tsx', ['--conditions=react-server', 'workers/main.ts'], {
      env: { ...process.env, ...app.workerEnv, NODE_ENV: 'production', LOG_LEVEL: 'warn', FACE_ENGINE_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (d) => (workerLog += d));
    worker.stderr?.on('data', (d) => (workerLog += d));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
  }, 240_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 2_000));
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    await browser?.close();
    await stream?.close();
    await app?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the pull camera shows online on /cameras and on the overview while the worker reads it', async () => {
    const row = page.locator(`[data-camera="${NAME}"]`);
    await reloadUntil(
      `${app.baseUrl}/cameras`,
      async () => ((await row.textContent()) ?? '').includes('online'),
      90_000,
      'the pull camera online on /cameras',
      async () => JSON.stringify({ row: await getCameraOrThrow(camera.cameraId), text: await row.textContent() }),
    );
    expect(stream.clients()).toBe(1);
    await page.goto(app.baseUrl);
    await expect(page.locator('li', { hasText: NAME }).first().textContent()).resolves.toMatch(/online$/);
  }, 120_000);

  it('"Test connection" on the one-viewer camera the worker holds uses its connection: a frame, not "refused"', async () => {
    await page.goto(`${app.baseUrl}/cameras`);
    const row = page.locator(`[data-camera="${NAME}"]`);
    await row.getByRole('button', { name: 'Test connection' }).click();
    const result = row.getByTestId('camera-test-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok'), (await result.textContent()) ?? '').toBe('true');
    expect(await result.getAttribute('data-held')).toBe('streaming');
    await expect(row.getByTestId('camera-test-held').textContent()).resolves.toMatch(
      /^From the connection the worker already holds to this camera \(streaming\)/,
    );
    expect(stream.refused()).toBe(0);
    expect(stream.clients()).toBe(1);
  }, 60_000);

  it('the liveness buttons and the edit form keep the camera pull, with its URL', async () => {
    await page.goto(`${app.baseUrl}/cameras`);
    const row = page.locator(`[data-camera="${NAME}"]`);
    await row.getByTestId('camera-liveness').getByRole('button', { name: '→ off' }).click();
    await expect.poll(async () => (await getCameraOrThrow(camera.cameraId)).liveness, { timeout: 10_000 }).toBe('off');
    expect(await getCameraOrThrow(camera.cameraId)).toMatchObject({ mode: 'pull', streamUrl: stream.url });

    const edit = row.getByTestId('camera-edit');
    await edit.locator('summary').click();
    await edit.locator('input[name=room]').fill('FW2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await getCameraOrThrow(camera.cameraId)).room, { timeout: 10_000 }).toBe('FW2');
    expect(await getCameraOrThrow(camera.cameraId)).toMatchObject({
      name: NAME,
      mode: 'pull',
      streamUrl: stream.url,
      liveness: 'off',
    });
    await page.reload();
    await expect(page.locator(`[data-camera="${NAME}"]`).textContent()).resolves.toMatch(/pull/);
    // Still read by the worker on its one connection.
    expect(stream.clients()).toBe(1);
  }, 60_000);
});
