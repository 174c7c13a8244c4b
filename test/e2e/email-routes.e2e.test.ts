/**
 * E-mail notifications on the course page: the lecturer adds their own address with a daily summary,
 * is refused (in words) for someone else's, and removes the route again.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LECTURER_EMAIL } from '@/db/seed';
import { findCourseByCode } from '@/lib/data/courses';
import { listNotificationRoutes } from '@/lib/data/notification-routes';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

let app: E2eApp;
let browser: Browser;

beforeAll(async () => {
  // Settings only: nothing is sent from the web app, the worker mails.
  app = await startApp({ env: { SMTP_HOST: '127.0.0.1', SMTP_FROM: 'attendance@campus.test' } });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('e-mail notification routes in Chromium', () => {
  it('the lecturer chooses a daily summary to their own address; another address is refused; the route can be removed', async () => {
    const course = (await findCourseByCode('CS101'))!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, app.baseUrl, DEMO_LECTURER_EMAIL, app.passwords[DEMO_LECTURER_EMAIL]!);
    await page.goto(`${app.baseUrl}/courses/${course.courseId}`);
    const form = page.getByTestId('add-email-route');
    await form.waitFor();
    const address = form.getByLabel('E-mail address (your own)');
    expect(await address.inputValue()).toBe(DEMO_LECTURER_EMAIL);

    await address.fill('someone.else@example.com');
    await form.getByRole('button', { name: 'Add e-mail' }).click();
    await page.getByText("only to their own account's address").waitFor();
    expect(await listNotificationRoutes({ courseId: course.courseId })).toHaveLength(0);

    await address.fill(DEMO_LECTURER_EMAIL);
    await form.getByLabel('E-mails').selectOption('daily');
    await form.getByLabel(/Summary hour/).selectOption('7');
    await form.getByRole('button', { name: 'Add e-mail' }).click();
    const row = page.getByTestId('notification-route');
    await row.getByText('Daily summary at 7:00').waitFor();
    expect(await listNotificationRoutes({ courseId: course.courseId })).toMatchObject([
      { channel: 'email', target: DEMO_LECTURER_EMAIL.toLowerCase(), digest: 'daily', digestHour: 7 },
    ]);

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Remove' }).last().click();
    await expect.poll(async () => (await listNotificationRoutes({ courseId: course.courseId })).length).toBe(0);
    await context.close();
  });
});
