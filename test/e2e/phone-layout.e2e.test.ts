/**
 * Lecturers check attendance on their phones: the session, cameras, overview and roster-preview pages fit a 390 px
 * wide screen (and a desktop one) with long names, liveness doubts, unknown faces and worker figures
 * on them. Nothing is wider than its card, no button is cut or wraps word by word, and the page never
 * scrolls sideways. Phone-width screenshots go to $SCREENSHOT_DIR.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { recordAttendance } from '@/lib/data/attendances';
import { claimLeases, ensureLeaseRows } from '@/lib/data/camera-leases';
import { createCamera } from '@/lib/data/cameras';
import { enrollStudent, findCourseByCode } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { createStudent } from '@/lib/data/students';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { heartbeatWorker } from '@/lib/data/workers';
import { resetEnvCache } from '@/lib/env';
import { getStorage, resetStorage } from '@/lib/storage';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

const MIN = 60_000;
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'attendance-screenshots'));
mkdirSync(SHOTS, { recursive: true });
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LONG_NAME = 'Maximiliana Alexandrovna Konstantinopolskaya-Wolfeschlegelsteinhausenberger';
const WORKER_ID = 'phone-worker-with-a-long-identifier-0123456789';
const LONG_CAMERA = 'Lecture-theatre-P1-north-wall-camera-above-the-whiteboard';

let app: E2eApp;
let browser: Browser;
let worker: Server;
let sessionId: string;

/**
 * What does not fit, in words: the page scrolling sideways, a card or list item wider than itself,
 * a control poking out of its card, or a button whose label wraps onto several lines.
 */
function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth)
      problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    const shown = (el: Element) => el.getBoundingClientRect().width > 0;
    for (const el of document.querySelectorAll('header, main, main section, main li, main dl, main [data-camera]')) {
      if (shown(el) && el.scrollWidth > el.clientWidth + 1)
        problems.push(`${name(el)} is wider than itself: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    // A box that scrolls or clips sideways hides part of what is in it (a table cut at the card's edge).
    // (A text field always scrolls its own long text or placeholder: not counted.)
    for (const el of document.querySelectorAll('main *:not(input, textarea, select)')) {
      const x = getComputedStyle(el).overflowX;
      if (x !== 'visible' && shown(el) && el.scrollWidth > el.clientWidth + 1)
        problems.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth} px sideways`);
    }
    for (const el of document.querySelectorAll('main button, main select, main a, main img, main input')) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      const card = (el.closest('li, section') ?? document.querySelector('main'))!.getBoundingClientRect();
      if (r.left < card.left - 1 || r.right > card.right + 1)
        problems.push(
          `${name(el)} sticks out of its card (${Math.round(r.left)}–${Math.round(r.right)} vs ${Math.round(card.left)}–${Math.round(card.right)})`,
        );
      if (r.right > root.clientWidth + 1) problems.push(`${name(el)} is cut by the screen edge`);
    }
    for (const b of document.querySelectorAll('main button')) {
      if (!shown(b)) continue;
      const line = parseFloat(getComputedStyle(b).lineHeight) || 20;
      const pad = parseFloat(getComputedStyle(b).paddingTop) + parseFloat(getComputedStyle(b).paddingBottom);
      if (b.getBoundingClientRect().height > line * 1.5 + pad + 2) problems.push(`${name(b)} wraps onto several lines`);
    }
    return problems;
  });
}

/** The fake worker is live (seen within the lease time), so the cameras page asks it for its figures. */
const heartbeat = () =>
  heartbeatWorker({
    workerId: WORKER_ID,
    internalUrl: `http://127.0.0.1:${(worker.address() as AddressInfo).port}`,
    capacity: 8,
    startedAt: new Date(),
  });

beforeAll(async () => {
  app = await startApp();
  process.env.DATA_DIR = app.dataDir;
  resetEnvCache();
  resetStorage();
  browser = await launchChromium();

  const camera = await createCamera(
    { name: LONG_CAMERA, room: 'P1', mode: 'pull', streamUrl: 'http://10.0.0.9/stream', snapshotUrl: null },
    null,
    null,
  );
  // A worker that holds the cameras and reports its figures, as the real one does on /healthz.
  worker = createServer((req, res) => {
    if (req.url !== '/healthz') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        status: 'ok',
        pipeline: {
          cameras: [
            {
              cameraId: camera.cameraId,
              name: LONG_CAMERA,
              mode: 'pull',
              state: 'streaming',
              framesIn: 120456,
              processed: 60210,
              dropped: 12,
              faces: 4021,
              recognized: 28,
              unknown: 3,
              recorded: 27,
              reconnects: 2,
              analyzeErrors: 0,
              lastError: null,
              lastFrameAt: new Date().toISOString(),
            },
          ],
          writer: {},
        },
      }),
    );
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  await heartbeat();
  await ensureLeaseRows();
  await claimLeases(WORKER_ID, 10 * MIN, 10);

  const course = (await findCourseByCode('CS101'))!;
  const startsAt = new Date(Date.now() - 20 * MIN);
  const session = await createSession(
    {
      courseId: course.courseId,
      cameraId: camera.cameraId,
      date: startsAt.toISOString().slice(0, 10),
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * MIN),
      room: 'P1',
      lateAfterMinutes: 10,
      status: 'open',
    },
    null,
  );
  sessionId = session.sessionId;
  const people = [];
  for (const [i, name] of [LONG_NAME, 'Ana Li', `${LONG_NAME} Junior`, 'Bo Chen'].entries()) {
    const st = await createStudent(
      { name, studentNumber: `PH-${Date.now() % 1e6}-${i}`, email: null, photo: null },
      null,
    );
    await enrollStudent(course.courseId, st.studentId);
    people.push(st);
  }
  // Present with a liveness doubt (its two review buttons), present, and late.
  await recordAttendance({
    sessionId,
    studentId: people[0]!.studentId,
    seenAt: new Date(startsAt.getTime() + 2 * MIN),
    confidence: 0.91,
    cameraId: camera.cameraId,
    livenessScore: 0.21,
    livenessDoubtful: true,
  });
  await recordAttendance({ sessionId, studentId: people[1]!.studentId, seenAt: startsAt, confidence: 0.88 });
  await recordAttendance({
    sessionId,
    studentId: people[2]!.studentId,
    seenAt: new Date(startsAt.getTime() + 15 * MIN),
    status: 'late',
    confidence: 0.8,
  });
  const crop = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#a07060' } })
    .jpeg()
    .toBuffer();
  for (const kind of ['unknown', 'suspected_spoof'] as const) {
    const storageKey = `unknown-faces/e2e/${camera.cameraId}/${crypto.randomUUID()}.jpg`;
    await getStorage().put(storageKey, crop, 'image/jpeg');
    await insertUnknownFace({
      sessionId,
      cameraId: camera.cameraId,
      storageKey,
      embedding: Buffer.alloc(16),
      model: 'e2e|1',
      seenAt: new Date(),
      kind,
      matchedStudentId: kind === 'suspected_spoof' ? people[3]!.studentId : null,
      livenessScore: kind === 'suspected_spoof' ? 0.1 : null,
    });
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  worker?.closeAllConnections();
  await new Promise((resolve) => worker?.close(resolve));
  await app?.stop();
});

describe('pages at phone and desktop width', () => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`admin: session, cameras and overview fit at ${viewport.width} px`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);

      await page.goto(`${app.baseUrl}/sessions/${sessionId}`);
      await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
      await page.getByTestId('present').getByTestId('liveness-doubtful').waitFor();
      await page.locator('[data-testid=unknown-faces] li').nth(1).waitFor();
      await page.locator('[data-testid=arrivals-chart] svg').first().waitFor();
      expect(await overflowProblems(page)).toEqual([]);
      if (label === 'phone') await page.screenshot({ path: path.join(SHOTS, 'phone-session.png'), fullPage: true });

      await heartbeat();
      await page.goto(`${app.baseUrl}/cameras`);
      const card = page.locator(`[data-camera="${LONG_CAMERA}"]`);
      const stats = card.getByTestId('camera-stats');
      await stats.waitFor();
      // The worker's figures in words, not a raw `framesIn: …` dump.
      await expect(stats.textContent()).resolves.toMatch(/Frames received\s*120,456/);
      await expect(stats.textContent()).resolves.toContain('receiving frames');
      expect(await page.getByText('framesIn').count()).toBe(0);
      await expect(card.getByRole('button', { name: 'Test connection' }).isVisible()).resolves.toBe(true);
      expect(await overflowProblems(page)).toEqual([]);
      if (label === 'phone') await page.screenshot({ path: path.join(SHOTS, 'phone-cameras.png'), fullPage: true });

      await page.goto(`${app.baseUrl}/`);
      await page.getByTestId('key-figures').waitFor();
      expect(await overflowProblems(page)).toEqual([]);
      if (label === 'phone') await page.screenshot({ path: path.join(SHOTS, 'phone-overview.png'), fullPage: true });

      // The roster preview keeps each row's status on the card, however long the name.
      await page.goto(`${app.baseUrl}/students/import`);
      const csv = [
        'student_number,name,email,courses',
        `PH-LONG-1,${LONG_NAME},${'maximiliana.alexandrovna'}@students.university.example,CS101`,
        'PH-SHORT-2,Ana Li,,CS101',
        'PH-BAD-3,Bad Email,bob@,',
      ].join('\n');
      await page
        .getByTestId('roster-input')
        .setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Check' }).click();
      await page.getByTestId('import-preview').waitFor();
      await expect(page.locator('[data-testid=import-preview] tr[data-line="2"]').textContent()).resolves.toContain(
        LONG_NAME,
      );
      expect(await overflowProblems(page)).toEqual([]);
      if (label === 'phone')
        await page.screenshot({ path: path.join(SHOTS, 'phone-roster-preview.png'), fullPage: true });
      await context.close();
    });

    it(`lecturer: session page and overview fit at ${viewport.width} px`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await signIn(context, app.baseUrl, DEMO_LECTURER_EMAIL, app.passwords[DEMO_LECTURER_EMAIL]!);
      await page.goto(`${app.baseUrl}/sessions/${sessionId}`);
      await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
      await page.locator('[data-testid=unknown-faces] li').nth(1).waitFor();
      expect(await overflowProblems(page)).toEqual([]);
      await page.goto(`${app.baseUrl}/`);
      await page.getByTestId('key-figures').waitFor();
      expect(await overflowProblems(page)).toEqual([]);
      await context.close();
    });
  }

  it('every other page works at 390 px: the page itself never scrolls sideways', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
    const course = (await findCourseByCode('CS101'))!;
    const wide: string[] = [];
    for (const url of [
      '/students',
      '/courses',
      `/courses/${course.courseId}`,
      '/sessions',
      '/reports',
      '/users',
      '/audit',
    ]) {
      const res = await page.goto(`${app.baseUrl}${url}`);
      expect(res?.status(), url).toBe(200);
      const [scroll, client] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      if (scroll > client) wide.push(`${url}: ${scroll} > ${client}`);
    }
    expect(wide).toEqual([]);
    await context.close();
  });
});
