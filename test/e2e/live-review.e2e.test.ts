/**
 * The session page's review queue is live: an unknown face or a suspected spoof the worker queues shows
 * up without a reload, a withdrawn one goes away, and a "liveness doubtful" mark arrives the same way.
 * A lecturer's session page offers no camera frame (admins only, PRIVACY.md), so it has no broken image.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { recordAttendance } from '@/lib/data/attendances';
import { createCamera } from '@/lib/data/cameras';
import { findCourseByCode, listEnrolledStudents } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { insertUnknownFace, withdrawUnreviewedUnknownFace } from '@/lib/data/unknown-faces';
import { resetEnvCache } from '@/lib/env';
import { getStorage, resetStorage } from '@/lib/storage';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

const MIN = 60_000;
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'attendance-screenshots'));
mkdirSync(SHOTS, { recursive: true });
let app: E2eApp;
let browser: Browser;
let sessionId: string;
let cameraId: string;
let crop: Buffer;

/** Queues a face for review as the worker does: its crop in the app's storage, then the row. */
async function queueFace(kind: 'unknown' | 'suspected_spoof', matchedStudentId: string | null = null) {
  const storageKey = `unknown-faces/e2e/${cameraId}/${crypto.randomUUID()}.jpg`;
  await getStorage().put(storageKey, crop, 'image/jpeg');
  return insertUnknownFace({
    sessionId,
    cameraId,
    storageKey,
    embedding: Buffer.alloc(16),
    model: 'e2e|1',
    seenAt: new Date(),
    kind,
    matchedStudentId,
    livenessScore: kind === 'suspected_spoof' ? 0.12 : null,
  });
}

/**
 * Every image a person sees has loaded a picture (none is broken or still waiting). The admin's camera
 * frame, with no frame from a worker yet, is hidden behind "No frame yet" and not counted.
 */
const brokenImages = (page: Page) =>
  page.evaluate(() =>
    [...document.images]
      .filter((img) => getComputedStyle(img).visibility !== 'hidden')
      .filter((img) => !img.complete || img.naturalWidth === 0)
      .map((img) => img.src),
  );

beforeAll(async () => {
  app = await startApp();
  // The test writes crops where the app reads them.
  process.env.DATA_DIR = app.dataDir;
  resetEnvCache();
  resetStorage();
  crop = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#a07060' } })
    .jpeg()
    .toBuffer();
  browser = await launchChromium();
  const camera = await createCamera(
    { name: 'Room R7 camera', room: 'R7', mode: 'push', streamUrl: null, snapshotUrl: null },
    null,
    null,
  );
  cameraId = camera.cameraId;
  const startsAt = new Date(Date.now() - 10 * MIN);
  const session = await createSession(
    {
      courseId: (await findCourseByCode('CS101'))!.courseId,
      cameraId,
      date: startsAt.toISOString().slice(0, 10),
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * MIN),
      room: 'R7',
      lateAfterMinutes: null,
      status: 'open',
    },
    null,
  );
  sessionId = session.sessionId;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('live review queue in Chromium', () => {
  it('shows a new unknown face and a suspected spoof without a reload, and drops a withdrawn one', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
    await page.goto(`${app.baseUrl}/sessions/${sessionId}`);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    await page.getByText('Nothing here yet.').waitFor();
    const faces = page.locator('[data-testid=unknown-faces] li');

    const first = await queueFace('unknown');
    const second = await queueFace('unknown');
    await page.locator(`[data-unknown-id="${first}"]`).waitFor({ timeout: 5_000 });
    await page.locator(`[data-unknown-id="${second}"]`).waitFor({ timeout: 5_000 });
    expect(await faces.count()).toBe(2);
    // Its review controls work like the server-rendered ones did.
    await expect(
      page.locator(`[data-unknown-id="${first}"]`).getByRole('button', { name: 'This is this student' }).count(),
    ).resolves.toBe(1);

    const student = (await listEnrolledStudents((await findCourseByCode('CS101'))!.courseId))[0]!;
    const spoof = await queueFace('suspected_spoof', student.studentId);
    const spoofItem = page.locator(`[data-unknown-id="${spoof}"]`);
    await spoofItem.waitFor({ timeout: 5_000 });
    await expect(spoofItem.getByTestId('suspected-spoof').textContent()).resolves.toContain(student.name);
    await expect(spoofItem.getByRole('button', { name: 'This was a spoof' }).count()).resolves.toBe(1);
    // The crops load (the image route answers for every face that arrived live).
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    expect(await brokenImages(page)).toEqual([]);

    expect(await withdrawUnreviewedUnknownFace(first)).not.toBeNull();
    await page.locator(`[data-unknown-id="${first}"]`).waitFor({ state: 'detached', timeout: 5_000 });
    expect(await faces.count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'live-review.png'), fullPage: true });
    await context.close();
  });

  it('shows a "liveness doubtful" mark without a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
    await page.goto(`${app.baseUrl}/sessions/${sessionId}`);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    const student = (await listEnrolledStudents((await findCourseByCode('CS101'))!.courseId))[1]!;
    await recordAttendance({
      sessionId,
      studentId: student.studentId,
      seenAt: new Date(),
      confidence: 0.8,
      cameraId,
      livenessScore: 0.2,
      livenessDoubtful: true,
    });
    const present = page.getByTestId('present');
    await present.getByTestId('liveness-doubtful').waitFor({ timeout: 5_000 });
    await expect(present.textContent()).resolves.toContain(student.name);
    await context.close();
  });

  it("a lecturer's session page offers no camera frame: no broken image, the status in words", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, app.baseUrl, DEMO_LECTURER_EMAIL, app.passwords[DEMO_LECTURER_EMAIL]!);
    const frames: number[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/last-frame')) frames.push(res.status());
    });
    await page.goto(`${app.baseUrl}/sessions/${sessionId}`);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    await expect(page.getByTestId('session-camera').textContent()).resolves.toMatch(
      /Room R7 camera.*offline.*Camera images are shown to admins only/,
    );
    expect(await page.locator('img[src*="last-frame"]').count()).toBe(0);
    // The lecturer reviews the queue with its crops (their course's faces), all of which load.
    await page.locator('[data-testid=unknown-faces] li').first().waitFor();
    await page.waitForTimeout(2_500);
    expect(await brokenImages(page)).toEqual([]);
    expect(frames).toEqual([]);
    await context.close();
  });
});
