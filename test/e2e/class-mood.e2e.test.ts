/**
 * Class mood in the browser: the course's lecturer turns it on (off by default) on the course page;
 * the session page then shows the chart of the counts the worker added (here added through the same
 * data call the worker's tally uses), and a session of a course without class mood shows no card.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LECTURER_EMAIL } from '@/db/seed';
import { findCourseByCode } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { addSessionMood, getSessionMood } from '@/lib/data/session-mood';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

let app: E2eApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('class mood in Chromium', () => {
  it('the lecturer opts the course in; the session page charts the counts; other courses show nothing', async () => {
    const course = (await findCourseByCode('CS101'))!;
    expect(course.classMood).toBe(false);
    const startsAt = new Date(Date.now() - 5 * 60_000);
    const times = {
      date: startsAt.toISOString().slice(0, 10),
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      lateAfterMinutes: null,
      status: 'open' as const,
    };
    const session = await createSession({ courseId: course.courseId, cameraId: null, room: 'M1', ...times }, null);
    const other = await createSession(
      {
        courseId: (await findCourseByCode('MA201'))!.courseId,
        cameraId: null,
        room: 'M2',
        ...times,
      },
      null,
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, app.baseUrl, DEMO_LECTURER_EMAIL, app.passwords[DEMO_LECTURER_EMAIL]!);

    // Off by default: no mood card on the session page.
    await page.goto(`${app.baseUrl}/sessions/${session.sessionId}`);
    await page.getByText('Unknown faces').first().waitFor();
    expect(await page.getByText('Class mood').count()).toBe(0);

    await page.goto(`${app.baseUrl}/courses/${course.courseId}`);
    await page.getByText('Class mood is off').waitFor();
    await page.getByRole('button', { name: 'Turn class mood on' }).click();
    await page.getByText('Class mood is on').waitFor();
    expect((await findCourseByCode('CS101'))!.classMood).toBe(true);

    await page.goto(`${app.baseUrl}/sessions/${session.sessionId}`);
    await page.getByText('No samples yet').waitFor();
    await addSessionMood(session.sessionId, { happy: 6, neutral: 3, tired: 1, other: 0, eyesRead: 4 });
    expect(await getSessionMood(session.sessionId)).toEqual({ happy: 6, neutral: 3, tired: 1, other: 0, eyesRead: 4 });
    await page.reload();
    const chart = page.getByTestId('class-mood-chart');
    await chart.waitFor();
    await expect(chart.textContent()).resolves.toContain('Happy: 60 % (6)');
    await expect(chart.textContent()).resolves.toContain('Tired (eyes closed): 10 % (1)');
    await expect(page.getByText('10 faces sampled').count()).resolves.toBe(1);
    await expect(page.getByTestId('class-mood-eyes').textContent()).resolves.toContain('4 of 10');

    await page.goto(`${app.baseUrl}/sessions/${other.sessionId}`);
    await page.getByText('Unknown faces').first().waitFor();
    expect(await page.getByText('Class mood').count()).toBe(0);
    await context.close();
  });
});
