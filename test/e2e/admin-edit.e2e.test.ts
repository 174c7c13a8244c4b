/**
 * The admin's everyday changes in Chromium against the built app: human form errors at the field (in
 * English and Indonesian), real 404 / 403 statuses with one <main>, editing and deleting a student
 * with the in-page confirmation, unenrolling from the course and the student page, the audit page
 * with names and filters (including a failed sign-in), translated statuses and 24-hour times.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent, listEnrolledStudents } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { findStudentByNumber, getStudent, listCoursesOfStudent } from '@/lib/data/students';
import { makeCourse, makeStudent } from '@/test/factories';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

const DEV_WORDING = /Invalid input|expected (string|date)|received|_unique|Duplicate (value|entry)|\{"added"/;

let app: E2eApp;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

const login = (context: BrowserContext, email: string, password: string): Promise<Page> =>
  signIn(context, app.baseUrl, email, password);

const setLang = (context: BrowserContext, lang: 'en' | 'id') =>
  context.addCookies([{ name: 'lang', value: lang, url: app.baseUrl }]);

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await login(admin, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('admin edits in Chromium', () => {
  it('a duplicate student number shows a sentence at the number field, in English and in Indonesian', async () => {
    // The demo seed already has S1001; make sure someone holds it either way.
    if (!(await findStudentByNumber('S1001'))) await makeStudent({ name: 'First Holder', studentNumber: 'S1001' });
    await page.goto(`${app.baseUrl}/students`);
    await page.fill('input[name=name]', 'Second Holder');
    await page.fill('input[name=studentNumber]', 'S1001');
    await page.getByRole('button', { name: 'Create' }).click();
    const numberError = page.locator('[data-field-error=studentNumber]');
    await expect(numberError.textContent()).resolves.toBe('A student with number S1001 already exists.');
    await expect(page.locator('input[name=studentNumber]').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.fill('input[name=name]', '');
    await page.fill('input[name=studentNumber]', 'S1002');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.locator('[data-field-error=name]').textContent()).resolves.toBe('Fill in this field.');

    await setLang(admin, 'id');
    await page.reload();
    await page.fill('input[name=name]', 'Second Holder');
    await page.fill('input[name=studentNumber]', 'S1001');
    await page.getByRole('button', { name: 'Buat' }).click();
    await expect(numberError.textContent()).resolves.toBe('Mahasiswa dengan NIM S1001 sudah ada.');
    await expect(page.getByRole('button', { name: 'Keluar' }).count()).resolves.toBe(1);
    expect(await page.locator('body').textContent()).not.toMatch(DEV_WORDING);
    await setLang(admin, 'en');
  });

  it('answers an unknown page and an unknown student with HTTP 404, and a lecturer on admin pages with 403, each with one <main>', async () => {
    // The 404 / 403 body is filled in by the client from the response's payload: wait for its heading, then count.
    const oneMain = async (p: Page, code: string) => {
      await p.locator('h1', { hasText: code }).waitFor();
      await expect(p.locator('main').count()).resolves.toBe(1);
    };
    const missing = await page.goto(`${app.baseUrl}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await oneMain(page, '404');

    const student = await page.goto(`${app.baseUrl}/students/${crypto.randomUUID()}`);
    expect(student?.status()).toBe(404);
    await oneMain(page, '404');
    // Inside the dashboard the page keeps its navigation.
    await expect(page.getByRole('navigation', { name: 'Main' }).count()).resolves.toBe(1);

    const lecturer = await browser.newContext();
    const lp = await login(lecturer, DEMO_LECTURER_EMAIL, app.passwords[DEMO_LECTURER_EMAIL]!);
    for (const url of ['/students', '/cameras', '/audit']) {
      const res = await lp.goto(`${app.baseUrl}${url}`);
      expect(res?.status(), url).toBe(403);
      await oneMain(lp, '403');
    }
    await lecturer.addCookies([{ name: 'lang', value: 'id', url: app.baseUrl }]);
    await lp.goto(`${app.baseUrl}/cameras`);
    await lp.locator('h1', { hasText: '403' }).waitFor();
    await expect(lp.locator('h1').textContent()).resolves.toBe('403 — Tidak ada akses');
    await lecturer.close();
  });

  it('edits a student, then deletes them after the confirmation that names their attendance records', async () => {
    const student = await makeStudent({ name: 'Edit Me', studentNumber: 'E-100' });
    const course = await makeCourse({ code: 'DEL101' });
    await enrollStudent(course.courseId, student.studentId);
    const startsAt = new Date(Date.now() - 30 * 60_000);
    const session = await createSession(
      {
        courseId: course.courseId,
        cameraId: null,
        date: startsAt.toISOString().slice(0, 10),
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        room: null,
        lateAfterMinutes: null,
        status: 'open',
      },
      null,
    );
    await recordAttendance({
      sessionId: session.sessionId,
      studentId: student.studentId,
      seenAt: new Date(startsAt.getTime() + 14 * 60_000 + 5_000),
      status: 'late',
    });

    await page.goto(`${app.baseUrl}/students/${student.studentId}`);
    const form = page.getByTestId('edit-student');
    await form.locator('input[name=name]').fill('Edited Name');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('form-notice').waitFor();
    await page.locator('h1', { hasText: 'Edited Name' }).waitFor();
    expect((await getStudent(student.studentId))?.name).toBe('Edited Name');
    // 24-hour times and translated statuses in the history.
    const historyText = (await page.locator('section', { hasText: 'Attendance history' }).textContent()) ?? '';
    expect(historyText).toMatch(/\d{2}:\d{2}/);
    expect(historyText).not.toMatch(/\b(AM|PM)\b/i);
    await setLang(admin, 'id');
    await page.reload();
    await expect(page.locator('section', { hasText: 'Riwayat kehadiran' }).textContent()).resolves.toContain(
      'terlambat',
    );
    await setLang(admin, 'en');
    await page.reload();

    await page.getByTestId('delete-student').click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete student' });
    await expect(dialog.textContent()).resolves.toContain('their 1 attendance record(s) are deleted');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await getStudent(student.studentId)).toBeDefined();

    await page.getByTestId('delete-student').click();
    await page
      .getByRole('alertdialog', { name: 'Delete student' })
      .getByRole('button', { name: 'Yes, delete' })
      .click();
    await page.waitForURL(`${app.baseUrl}/students`);
    expect(await getStudent(student.studentId)).toBeUndefined();

    await page.goto(`${app.baseUrl}/audit?action=student.delete`);
    const row = page.getByTestId('audit-row').first();
    await expect(row.textContent()).resolves.toMatch(/Edited Name \(E-100\).*deleted/);
    expect(await row.textContent()).not.toContain(student.studentId);
  });

  it('unenrols a student from the course page and from the student page', async () => {
    const course = await makeCourse({ code: 'UNE101' });
    const [a, b] = [
      await makeStudent({ name: 'Leaves Via Course' }),
      await makeStudent({ name: 'Leaves Via Student' }),
    ];
    await enrollStudent(course.courseId, a.studentId);
    await enrollStudent(course.courseId, b.studentId);

    await page.goto(`${app.baseUrl}/courses/${course.courseId}`);
    const row = page.getByTestId('enrolled-student').filter({ hasText: 'Leaves Via Course' });
    await row.getByRole('button', { name: 'Remove from course' }).click();
    await expect(row.getByRole('alertdialog').textContent()).resolves.toContain(
      'Remove Leaves Via Course from UNE101?',
    );
    await row.getByRole('alertdialog').getByRole('button', { name: 'Remove from course' }).click();
    await page.getByTestId('enrolled-student').filter({ hasText: 'Leaves Via Course' }).waitFor({ state: 'detached' });
    expect((await listEnrolledStudents(course.courseId)).map((s) => s.name)).toEqual(['Leaves Via Student']);

    await page.goto(`${app.baseUrl}/students/${b.studentId}`);
    const courseRow = page.getByTestId('student-course').filter({ hasText: 'UNE101' });
    await courseRow.getByRole('button', { name: 'Remove from course' }).click();
    await courseRow.getByRole('alertdialog').getByRole('button', { name: 'Remove from course' }).click();
    await page.getByText('Not enrolled in any course.').waitFor();
    expect(await listCoursesOfStudent(b.studentId)).toEqual([]);
  });

  it('bulk enrolment reports a sentence, not JSON', async () => {
    const course = await makeCourse({ code: 'BULK101' });
    await makeStudent({ studentNumber: 'B-1' });
    await page.goto(`${app.baseUrl}/courses/${course.courseId}`);
    await page.fill('textarea[name=students]', 'B-1\nNO-SUCH');
    await page.getByRole('button', { name: 'Save' }).last().click();
    await expect(page.getByTestId('form-notice').last().textContent()).resolves.toBe(
      '1 student(s) added, 0 already enrolled. No student has this number: NO-SUCH.',
    );
  });

  it('audits a failed sign-in with the email tried, and filters the audit log by who and what on the server', async () => {
    const anon = await browser.newContext();
    const p = await anon.newPage();
    await p.goto(`${app.baseUrl}/login`);
    await p.fill('input[name=email]', 'Intruder@Example.edu');
    await p.fill('input[name=password]', 'not-the-password');
    await p.click('button[type=submit]');
    await p.getByText('Wrong email or password.').waitFor();
    await anon.close();

    await page.goto(`${app.baseUrl}/audit`);
    await page.selectOption('select[name=action]', 'auth.sign_in_failed');
    await page.selectOption('select[name=actor]', 'system');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=auth.sign_in_failed/);
    const rows = page.getByTestId('audit-row');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('email: intruder@example.edu');
    expect(await rows.first().textContent()).not.toContain('not-the-password');

    await page.selectOption('select[name=action]', 'auth.sign_in');
    await page.selectOption('select[name=actor]', { label: `Demo Admin <${DEMO_ADMIN_EMAIL}>` });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=auth.sign_in(&|$)/);
    const signIns = page.getByTestId('audit-row');
    await expect(signIns.count()).resolves.toBe(1);
    await expect(signIns.first().textContent()).resolves.toMatch(
      new RegExp(`Demo Admin.*${DEMO_ADMIN_EMAIL}.*auth\\.sign_in.*ip: `),
    );
  });

  it('serves a favicon from the app itself', async () => {
    await page.goto(`${app.baseUrl}/`);
    const href = await page.locator('link[rel=icon]').first().getAttribute('href');
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await page.request.get(`${app.baseUrl}${href}`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
  });
});
