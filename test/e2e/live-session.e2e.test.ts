/**
 * The live session page tells the truth: "Live" only while the session runs, the camera's status and
 * last frame, arrivals on a clock-time axis over the session window (readable with 0 or 200
 * arrivals), the edit card showing the current times, and "Start now" refused beside a running class.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL } from '@/db/seed';
import { recordAttendance } from '@/lib/data/attendances';
import { createCamera } from '@/lib/data/cameras';
import { enrollStudent, findCourseByCode } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { createStudent } from '@/lib/data/students';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

const MIN = 60_000;
let app: E2eApp;
let browser: Browser;
let page: Page;

const session = async (
  courseCode: string,
  startsAt: Date,
  minutes: number,
  extra: { status: 'scheduled' | 'open'; room: string; cameraId?: string | null },
) =>
  createSession(
    {
      courseId: (await findCourseByCode(courseCode))!.courseId,
      cameraId: extra.cameraId ?? null,
      date: startsAt.toISOString().slice(0, 10),
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * MIN),
      room: extra.room,
      lateAfterMinutes: null,
      status: extra.status,
    },
    null,
  );

const ticks = async () => {
  const tick = page.locator(
    '[data-testid=arrivals-chart] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value',
  );
  // The chart draws once its container is measured.
  await tick.first().waitFor();
  return tick.allTextContents();
};

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('live session page in Chromium', () => {
  it('a session that is not running has no Live badge; the edit card shows its times; the camera card its status', async () => {
    const camera = await createCamera(
      {
        name: 'Room L1 camera',
        room: 'L1',
        mode: 'push',
        streamUrl: null,
        snapshotUrl: null,
      },
      null,
      null,
    );
    const startsAt = new Date(Date.now() + 26 * 60 * MIN);
    startsAt.setSeconds(0, 0);
    const s = await session('CS101', startsAt, 100, { status: 'scheduled', room: 'L1', cameraId: camera.cameraId });
    await page.goto(`${app.baseUrl}/sessions/${s.sessionId}`);
    await expect(page.getByTestId('live-status').textContent()).resolves.toBe('Not running');
    const p = (n: number) => String(n).padStart(2, '0');
    const local = (d: Date) =>
      `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    await expect(page.locator('input[name=startsAt]').inputValue()).resolves.toBe(local(startsAt));
    await expect(page.locator('input[name=endsAt]').inputValue()).resolves.toBe(
      local(new Date(startsAt.getTime() + 100 * MIN)),
    );
    await expect(page.getByTestId('session-camera').textContent()).resolves.toMatch(/Room L1 camera.*offline/);
  });

  it('arrivals on a clock-time axis: readable with no arrivals and with 200', async () => {
    const startsAt = new Date(Date.now() - 30 * MIN);
    const empty = await session('MA201', startsAt, 100, { status: 'open', room: 'L2' });
    await page.goto(`${app.baseUrl}/sessions/${empty.sessionId}`);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    const emptyTicks = await ticks();
    expect(emptyTicks.length).toBeGreaterThanOrEqual(3);
    for (const t of emptyTicks) expect(t).toMatch(/^\d\d:\d\d$/);

    const course = (await findCourseByCode('MA201'))!;
    const full = await session('MA201', new Date(startsAt.getTime() + MIN), 100, { status: 'open', room: 'L3' });
    for (let i = 0; i < 200; i++) {
      const st = await createStudent(
        {
          name: `Arrival ${i}`,
          studentNumber: `AR${Date.now() % 1e6}${i}`,
          email: null,
          photo: null,
        },
        null,
      );
      await enrollStudent(course.courseId, st.studentId);
      await recordAttendance({
        sessionId: full.sessionId,
        studentId: st.studentId,
        seenAt: new Date(startsAt.getTime() + (i % 25) * MIN),
        confidence: 0.9,
      });
    }
    await page.goto(`${app.baseUrl}/sessions/${full.sessionId}`);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
    const fullTicks = await ticks();
    expect(fullTicks.length).toBeGreaterThanOrEqual(3);
    expect(fullTicks.length).toBeLessThanOrEqual(12);
    for (const t of fullTicks) expect(t).toMatch(/^\d\d:\d\d$/);
    // The line reaches the 200 arrivals: the y axis goes at least that high.
    const yTicks = await page
      .locator('[data-testid=arrivals-chart] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .allTextContents();
    expect(Math.max(...yTicks.map(Number))).toBeGreaterThanOrEqual(200);
  });

  it('"Start now" is refused while another class runs in the room, and explains why', async () => {
    const now = Date.now();
    await session('CS101', new Date(now - 10 * MIN), 90, { status: 'open', room: 'L9' });
    const later = await session('MA201', new Date(now + 60 * MIN), 100, { status: 'scheduled', room: 'L9' });
    await page.goto(`${app.baseUrl}/sessions/${later.sessionId}`);
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByText(/CS101 is running in room L9 until \d\d:\d\d/).waitFor();
    await expect(page.getByTestId('live-status').textContent()).resolves.toBe('Not running');
  });
});
