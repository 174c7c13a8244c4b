/**
 * "The first week" (issue 26, items 3, 7 and 10) and the lecturers' template suggestions (Hardening II
 * item 7) in Chromium against the built app: reports count only sessions that have started, a session
 * in the past asks first and a 15-day one is refused, each form mistake is said once, an emptied name
 * is refused, enrolment by number ignores case, an admin approves a lecturer's suggestion, and the
 * labelled demo data goes in one click.
 */
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { classSessions, faceTemplates, unknownFaces } from '@/db/schema';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent, listEnrolledStudents } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { findStudentByNumber, getStudent } from '@/lib/data/students';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { findUserByEmail } from '@/lib/data/users';
import { localDate } from '@/lib/dashboard/query';
import { currentEngineIdentity, engineKey } from '@/lib/face/engine-identity';
import { parseCsv } from '@/lib/csv';
import { makeCourse, makeStudent } from '@/test/factories';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

let app: E2eApp;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await signIn(admin, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const H = 3_600_000;
/** A datetime-local value in the browser's (= this machine's) time zone. */
const local = (d: Date) =>
  `${localDate(d)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

describe('reports count a session once it has started', () => {
  it('a session later today is not held at 0 %, on the page and in the CSV', async () => {
    const code = `FW${Date.now() % 100000}`;
    const course = await makeCourse({ code });
    const student = await makeStudent();
    await enrollStudent(course.courseId, student.studentId);
    const now = new Date();
    const session = (startsAt: Date) =>
      createSession(
        {
          courseId: course.courseId,
          cameraId: null,
          date: localDate(startsAt),
          startsAt,
          endsAt: new Date(startsAt.getTime() + H),
          room: null,
          lateAfterMinutes: null,
          status: 'scheduled',
        },
        null,
      );
    const held = await session(new Date(now.getTime() - 2 * H));
    await session(new Date(now.getTime() + 2 * H));
    await recordAttendance({ sessionId: held.sessionId, studentId: student.studentId, seenAt: now, status: 'present' });
    const from = localDate(new Date(now.getTime() - 3 * H));
    const to = localDate(new Date(now.getTime() + 3 * H));

    await page.goto(`${app.baseUrl}/reports?${new URLSearchParams({ from, to, courseId: course.courseId })}`);
    const cells = await page.locator(`tr:has(td:text-is("${code}"))`).first().locator('td').allTextContents();
    expect(cells.slice(2)).toEqual(['1', '1', '1', '100 %']);

    const csv = await page.request.get(
      `${app.baseUrl}/api/reports?${new URLSearchParams({ from, to, courseId: course.courseId, format: 'csv' })}`,
    );
    const rows = parseCsv(await csv.text()).map((r) => r.cells);
    expect(rows[1]!.slice(3, 6)).toEqual(['1', '1', '100']);
  });
});

describe('small input problems', () => {
  it('a session starting in the past asks first; one lasting 15 days is refused in words', async () => {
    const code = `FS${Date.now() % 100000}`;
    const course = await makeCourse({ code });
    await page.goto(`${app.baseUrl}/sessions`);
    const form = page.getByTestId('schedule-session');
    const countSessions = async () =>
      (await getDb().select().from(classSessions).where(eq(classSessions.courseId, course.courseId))).length;
    await form.locator('select[name=courseId]').selectOption(course.courseId);
    await form.locator('input[name=startsAt]').fill('2019-03-04T09:00');
    await form.locator('input[name=endsAt]').fill('2019-03-04T10:30');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await form.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => asked).toBe('This session starts in the past. Schedule it anyway?');
    expect(await countSessions()).toBe(0);
    page.once('dialog', (d) => void d.accept());
    await form.getByRole('button', { name: 'Create' }).click();
    await expect.poll(countSessions).toBe(1);

    const start = new Date(Date.now() + 48 * H);
    await form.locator('select[name=courseId]').selectOption(course.courseId);
    await form.locator('input[name=startsAt]').fill(local(start));
    await form.locator('input[name=endsAt]').fill(local(new Date(start.getTime() + 15 * 24 * H)));
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(form.locator('[data-field-error=endsAt]').textContent()).resolves.toBe(
      'At most 12 hours after the start',
    );
    expect(await countSessions()).toBe(1);
  });

  it('the camera form says each mistake once', async () => {
    await page.goto(`${app.baseUrl}/cameras`);
    const form = page.getByTestId('add-camera');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toBe('Name: Fill in this field.');
    const name = `Hall ${Date.now() % 100000}`;
    await form.locator('input[name=name]').fill(name);
    await form.getByRole('button', { name: 'Create' }).click();
    await form.getByTestId('firmware-config').waitFor();
    await form.locator('input[name=name]').fill(name);
    await form.getByRole('button', { name: 'Create' }).click();
    const again = (await form.getByRole('alert').textContent()) ?? '';
    expect(again).toContain(name);
    expect(again.split(name)).toHaveLength(2); // the name, and so the sentence, appears once
  });

  it('emptying a student’s name is refused in words, and the name stays', async () => {
    const student = await makeStudent({ name: 'Stays Named' });
    await page.goto(`${app.baseUrl}/students/${student.studentId}`);
    const form = page.getByTestId('edit-student');
    await form.locator('input[name=name]').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.locator('[data-field-error=name]').textContent()).resolves.toBe('Fill in this field.');
    expect(await form.getByTestId('form-notice').count()).toBe(0);
    expect((await getStudent(student.studentId))!.name).toBe('Stays Named');
  });

  it('enrolling by a lower-case student number finds the student', async () => {
    const number = `FWN${Date.now() % 100000}`;
    const student = await makeStudent({ studentNumber: number });
    const course = await makeCourse();
    await page.goto(`${app.baseUrl}/courses/${course.courseId}`);
    await page.locator('textarea[name=students]').fill(number.toLowerCase());
    await page.getByRole('button', { name: 'Save' }).last().click();
    await page.getByTestId('form-notice').waitFor();
    await expect(page.getByTestId('form-notice').textContent()).resolves.not.toMatch(/No student has this number/);
    expect((await listEnrolledStudents(course.courseId)).map((s) => s.studentId)).toContain(student.studentId);
  });
});

describe('template suggestions', () => {
  it('an admin approves a lecturer’s "this is <student>", and the template is made then', async () => {
    const student = (await findStudentByNumber('S1001'))!;
    const lecturer = (await findUserByEmail(DEMO_LECTURER_EMAIL))!;
    const unknownId = await insertUnknownFace({
      sessionId: null,
      cameraId: null,
      storageKey: `unknown-faces/e2e/${crypto.randomUUID()}.jpg`,
      embedding: Buffer.from(Float32Array.from({ length: 1280 }, (_, i) => Math.sin(i)).buffer),
      model: engineKey(currentEngineIdentity('embedding')),
      seenAt: new Date(),
    });
    await getDb()
      .update(unknownFaces)
      .set({ reviewed: true, reviewedBy: lecturer.userId, studentId: student.studentId, suggestion: 'pending' })
      .where(eq(unknownFaces.unknownId, unknownId));
    const templates = async () =>
      (await getDb().select().from(faceTemplates).where(eq(faceTemplates.studentId, student.studentId))).length;
    const before = await templates();

    await page.goto(`${app.baseUrl}/students`);
    await page.getByTestId('suggestions-link').click();
    await page.waitForURL(`${app.baseUrl}/students/suggestions`);
    const row = page.getByTestId('suggestion').filter({ hasText: student.name });
    await expect(row.textContent()).resolves.toContain(lecturer.name);
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(templates).toBe(before + 1);
    await page.getByText('No suggestions waiting.').waitFor();
  });
});

describe('demo data', () => {
  it('is labelled, and one click removes exactly it', async () => {
    await page.goto(`${app.baseUrl}/courses`);
    await expect(page.locator('main').textContent()).resolves.toContain('Introduction to Programming (demo)');
    const real = await makeStudent({ name: 'Real Person' });
    await page.goto(`${app.baseUrl}/students`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove demo data' }).click();
    // Removal erases the demo students first, then the other demo rows in one transaction: wait for the
    // demo_rows to be gone (the last step), not only for the first student.
    await expect.poll(async () => Boolean(await findUserByEmail(DEMO_LECTURER_EMAIL)), { timeout: 20_000 }).toBe(false);
    expect(await findStudentByNumber('S1001')).toBeFalsy();
    expect(await getStudent(real.studentId)).toBeTruthy();
    expect(await findUserByEmail(DEMO_ADMIN_EMAIL)).toBeTruthy();
    await page.reload();
    expect(await page.getByRole('button', { name: 'Remove demo data' }).count()).toBe(0);
  });
});
