/**
 * Browser steps for timetables and camera setup, registered by dashboard.e2e.test.ts (one build, one
 * app, one signed-in admin). The camera test runs the real worker (workers/main.ts) against the same
 * database, and a real ffmpeg MJPEG stream of an LFW face.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessionsOfCourse } from '@/lib/data/session-admin';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import { startMjpegFanout, type MjpegFanout } from '@/test/helpers/mjpeg-fanout';
import { skipUnlessCi } from '@/test/helpers/needs';
import type { E2eApp } from './server';

export interface StepsContext {
  app: () => E2eApp;
  page: () => Page;
  courseId: () => string;
  shot: (p: Page, name: string) => Promise<unknown>;
}

const FACE = path.resolve('../shared/faces/lfw-dev/known/Al_Gore/Al_Gore_0001.jpg');

export function timetableAndCameraSteps(ctx: StepsContext): void {
  describe('timetables in the browser', () => {
    it("previews a term's dates, creates its sessions (the exception has none), and shows room + camera", async () => {
      const page = ctx.page();
      const base = ctx.app().baseUrl;
      // The seeded install has a camera and a roster, no timetable yet: the overview's checklist says so.
      await page.goto(`${base}/`);
      const checklist = page.getByTestId('setup-checklist');
      expect(
        await checklist.locator('li[data-done=true]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))),
      ).toEqual(['camera', 'roster']);
      expect(
        await checklist
          .locator('li[data-done=false]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))),
      ).toEqual(['timetable']);
      await page.goto(`${base}/courses/${ctx.courseId()}`);
      const form = page.getByTestId('timetable-form');
      await form.locator('input[name=startTime]').fill('09:00');
      await form.locator('input[name=endTime]').fill('10:40');
      await form.locator('input[name=fromDate]').fill('2027-02-03');
      await form.locator('input[name=toDate]').fill('2027-05-30');
      await form.locator('input[name=exceptDates]').fill('2027-03-08');
      await form.locator('input[name=room]').fill('E2E-A101');
      await form.locator('input[name=timeZone]').fill('Asia/Jakarta');
      await form.getByRole('button', { name: 'Preview dates' }).click();
      const preview = page.getByTestId('timetable-preview');
      await preview.waitFor();
      // 16 Mondays from Feb 8 to May 24, minus the exception: 15, all new.
      expect(await preview.locator('li[data-state=new]').count()).toBe(15);
      expect(await preview.locator('li[data-date="2027-03-08"]').count()).toBe(0);
      await ctx.shot(page, 'timetable-preview');
      await page.getByTestId('timetable-save').filter({ hasText: 'Create 15 sessions' }).click();
      await page.getByTestId('timetable-notice').filter({ hasText: 'Saved: 15 created' }).waitFor();
      await page.getByTestId('timetables').getByText('Mon 09:00–10:40').waitFor();

      const sessions = (await listSessionsOfCourse(ctx.courseId())).filter((s) => s.timetableId !== null);
      expect(sessions).toHaveLength(15);
      expect(sessions.map((s) => s.date)).not.toContain('2027-03-08');
      expect(sessions[0]!.startsAt.toISOString()).toBe('2027-02-08T02:00:00.000Z');
      // The course page lists them with their room.
      await page.reload();
      expect(await page.getByTestId('course-sessions').locator('tr', { hasText: 'E2E-A101' }).count()).toBe(15);

      // The same pattern again clashes on every date: shown before saving, no save button.
      await form.locator('input[name=fromDate]').fill('2027-02-03');
      await form.locator('input[name=toDate]').fill('2027-02-28');
      await form.locator('input[name=timeZone]').fill('Asia/Jakarta');
      await form.getByRole('button', { name: 'Preview dates' }).click();
      await preview.waitFor();
      // Feb 8, 15 and 22.
      expect(await preview.locator('li[data-state=clash]').count()).toBe(3);
      await expect(preview.getByRole('alert').textContent()).resolves.toMatch(/^3 date\(s\) clash/);
      expect(await page.getByTestId('timetable-save').count()).toBe(0);

      // Every step done: the checklist is gone.
      await page.goto(`${base}/`);
      expect(await page.getByTestId('setup-checklist').count()).toBe(0);

      // The live page and the sessions list say where.
      await page.goto(`${base}/sessions/${sessions[0]!.sessionId}`);
      await expect(page.getByTestId('session-where').textContent()).resolves.toMatch(/Room: E2E-A101 · Camera: —/);
      await page.goto(`${base}/sessions?from=2027-02-01&to=2027-02-28`);
      expect(await page.locator('tr', { hasText: 'E2E-A101' }).count()).toBe(3);
    });
  });

  const skip = !existsSync(FACE) ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
  skipUnlessCi(skip, `camera setup browser test skipped: ${skip}`);

  describe.skipIf(skip !== null)('camera setup in the browser (real worker, real MJPEG stream)', () => {
    let worker: ChildProcess;
    let workerLog = '';
    let stream: MjpegFanout;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-camera-'));
      const frame = path.join(dir, 'classroom.jpg');
      const face = await sharp(FACE).resize(225, 225).toBuffer();
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#7a8590' } })
        .composite([{ input: face, left: 200, top: 120 }])
        .jpeg({ quality: 90 })
        .toFile(frame);
      stream = await startMjpegFanout(frame, { userinfo: 'viewer:hunter2' });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...ctx.app().workerEnv,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
      };
      worker = spawn('node_modules/.bin/tsx', ['--conditions=react-server', 'workers/main.ts'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      worker.stdout?.on('data', (d) => (workerLog += d));
      worker.stderr?.on('data', (d) => (workerLog += d));
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (worker.exitCode !== null) throw new Error(`worker exited:\n${workerLog}`);
        const up = await fetch(`http://127.0.0.1:${ctx.app().workerEnv.WORKER_PORT}/healthz`).then(
          () => true,
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error(`worker did not answer in 90 s:\n${workerLog}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }, 120_000);

    afterAll(async () => {
      if (worker && worker.exitCode === null) {
        worker.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 2_000));
        if (worker.exitCode === null) worker.kill('SIGKILL');
      }
      await stream?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('refuses a pull camera without a URL in words, shows a push token as config.h lines, and tests a pull camera: the frame with its face box and width', async () => {
      const page = ctx.page();
      await page.goto(`${ctx.app().baseUrl}/cameras`);
      const add = page.getByTestId('add-camera');
      await add.locator('input[name=name]').fill('e2e-pull');
      await add.locator('select[name=mode]').selectOption('pull');
      await add.getByRole('button', { name: 'Create' }).click();
      await expect(add.getByRole('alert').textContent()).resolves.toMatch(
        /^A pull camera needs the http:\/\/ or https:\/\/ address/,
      );
      await add.locator('input[name=streamUrl]').fill(stream.url);
      await add.getByRole('button', { name: 'Create' }).click();
      await page.getByTestId('pull-added').waitFor();

      await add.locator('input[name=name]').fill('e2e-push');
      await add.getByRole('button', { name: 'Create' }).click();
      const lines = (await page.getByTestId('firmware-config').locator('pre').textContent()) ?? '';
      expect(lines).toMatch(
        new RegExp(
          `^#define MODE "push"\\n#define SERVER_URL "${ctx.app().baseUrl}"\\n#define DEVICE_ID "[0-9a-f-]{36}"\\n#define DEVICE_TOKEN "cam_[\\w-]+"$`,
        ),
      );

      await page.reload();
      const row = page.locator('[data-camera=e2e-pull]');
      // The stream URL's password is never on the page.
      expect(await page.content()).not.toContain('hunter2');
      await row.getByRole('button', { name: 'Test connection' }).click();
      const result = row.getByTestId('camera-test-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-ok'), (await result.textContent()) ?? '').toBe('true');
      expect(await result.getAttribute('data-verdict')).toBe('ok');
      await expect(row.getByTestId('camera-test-words').textContent()).resolves.toMatch(
        /^1 face\(s\), \d+ px wide: big enough/,
      );
      await expect(row.getByTestId('camera-test-widths').textContent()).resolves.toMatch(/^\d+ px · 640×480 · \d+ ms$/);
      const img = row.getByTestId('camera-test-image');
      expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(640);
      await ctx.shot(page, 'camera-test-connection');
    }, 90_000);

    it("shows a camera's last error in words, without its credentials", async () => {
      const page = ctx.page();
      await page.goto(`${ctx.app().baseUrl}/cameras`);
      const add = page.getByTestId('add-camera');
      await add.locator('input[name=name]').fill('e2e-dead');
      await add.locator('select[name=mode]').selectOption('pull');
      await add.locator('input[name=streamUrl]').fill(`http://admin:hunter2@127.0.0.1:${await freePort()}/stream`);
      await add.getByRole('button', { name: 'Create' }).click();
      await page.getByTestId('pull-added').waitFor();
      // The worker picks new cameras up within 15 s, then fails to connect.
      const deadline = Date.now() + 60_000;
      const error = page.locator('[data-camera=e2e-dead]').getByTestId('camera-last-error');
      while ((await error.count()) === 0) {
        if (Date.now() > deadline)
          throw new Error(`no last error shown in 60 s; worker log:\n${workerLog.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 2_000));
        await page.reload();
      }
      expect(await error.getAttribute('data-kind')).toBe('refused');
      await expect(error.textContent()).resolves.toMatch(
        /The camera refused the connection: nothing is listening at that address and port/,
      );
      expect(await page.content()).not.toContain('hunter2');
    }, 90_000);
  });
}
