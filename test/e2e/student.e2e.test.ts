/**
 * A student end to end in Chromium at phone width (390 px): signs in through the loopback campus IdP,
 * lands on their own page (/me) with their courses and attendance, is sent back there from staff pages,
 * disputes an absence, and reads the page in Indonesian — with no horizontal overflow in either
 * language. The lecturer then sees the dispute in the session page's review area and accepts it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { insertPhotoWithTemplate } from '@/lib/data/face-photos';
import { createSession } from '@/lib/data/sessions';
import { createStudent } from '@/lib/data/students';
import { createUser, generatePassword } from '@/lib/data/users';
import { createCourse } from '@/lib/data/courses';
import { LECTURER_GROUP, STUDENT_GROUP, startOidcProvider, type TestIdp } from '../helpers/oidc-provider';
import { DEMO_ADMIN_EMAIL } from '@/db/seed';
import { launchChromium, signIn, signInThroughIdp } from './browser';
import { freePort, startApp, type E2eApp } from './server';

const PASSWORD = 'campus password 1';
let app: E2eApp;
let idp: TestIdp;
let browser: Browser;
const problems: string[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  const port = await freePort();
  idp = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`],
    accounts: [
      {
        email: 'putri@campus.test',
        name: 'Putri',
        groups: [STUDENT_GROUP],
        password: PASSWORD,
        studentNumber: 'E2E-7001',
      },
      { email: 'dosen@campus.test', name: 'Dosen Lecturer', groups: [LECTURER_GROUP], password: PASSWORD },
    ],
  });
  app = await startApp({ port, env: { ...idp.appEnv, OIDC_STUDENT_NUMBER_CLAIM: 'student_number' } });
  // The app and this process share the throwaway database: the rows are made here.
  const lecturer = await createUser({
    email: 'dosen@campus.test',
    name: 'Dosen Lecturer',
    password: generatePassword(),
    role: 'lecturer',
  });
  const student = await createStudent(
    { name: 'Putri Maharani Kusumawardhani', studentNumber: 'E2E-7001', email: 'putri@campus.test', photo: null },
    null,
  );
  const classmate = await createStudent(
    { name: 'Classmate Bambang', studentNumber: 'E2E-7002', email: null, photo: null },
    null,
  );
  const course = await createCourse(
    {
      code: 'IF-2301',
      courseName: 'Pengolahan Citra Digital dan Pengenalan Pola',
      lecturerId: lecturer.userId,
      room: null,
    },
    null,
  );
  for (const s of [student, classmate]) await enrollStudent(course.courseId, s.studentId);
  const day = 24 * 3600_000;
  const session = async (ago: number) =>
    (
      await createSession(
        {
          courseId: course.courseId,
          cameraId: null,
          date: new Date(Date.now() - ago).toISOString().slice(0, 10),
          startsAt: new Date(Date.now() - ago),
          endsAt: new Date(Date.now() - ago + 90 * 60_000),
          room: null,
          lateAfterMinutes: null,
          status: 'closed',
        },
        null,
      )
    ).sessionId;
  ids.present = await session(3 * day);
  ids.late = await session(2 * day);
  ids.absent = await session(day);
  await recordAttendance({
    sessionId: ids.present,
    studentId: student.studentId,
    seenAt: new Date(Date.now() - 3 * day + 60_000),
  });
  await recordAttendance({
    sessionId: ids.late,
    studentId: student.studentId,
    seenAt: new Date(Date.now() - 2 * day + 20 * 60_000),
    status: 'late',
  });
  await recordAttendance({
    sessionId: ids.absent,
    studentId: classmate.studentId,
    seenAt: new Date(Date.now() - day + 60_000),
  });
  const photoId = crypto.randomUUID();
  await insertPhotoWithTemplate(
    {
      photoId,
      studentId: student.studentId,
      storageKey: `photos/${student.studentId}/${photoId}.jpg`,
      contentSha256: 'b'.repeat(64),
      quality: null,
      accepted: true,
      reason: null,
    },
    { model: 'm', modelVersion: 'v', dims: 4, embedding: Buffer.alloc(16) },
  );
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await idp?.stop();
});

async function phoneContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  context.on('page', (p) => p.on('pageerror', (e) => problems.push(`${p.url()}: ${e.message}`)));
  return context;
}

const campusSignIn = (context: BrowserContext, email: string): Promise<Page> =>
  signInThroughIdp(context, app.baseUrl, idp.issuer, email, PASSWORD);

const overflow = (page: Page) =>
  page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));

describe('a student on their phone', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await phoneContext();
    page = await campusSignIn(context, 'putri@campus.test');
    // The login's default destination is the staff overview, which sends a student to their own page.
    await page.waitForURL(`${app.baseUrl}/me`);
  });
  afterAll(async () => context?.close());

  it('sees their courses with present, late and absent and the time, and no one else, without overflow', async () => {
    await page.getByRole('heading', { name: 'My attendance' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('IF-2301');
    const rows = page.locator('[data-testid=my-sessions] > li');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).innerText()).toMatch(/absent/);
    expect(await rows.nth(1).innerText()).toMatch(/late\s+at \d{2}:\d{2}/);
    expect(await rows.nth(2).innerText()).toMatch(/present\s+at \d{2}:\d{2}/);
    expect(await page.getByTestId('my-photos').innerText()).toBe('1');
    expect(await page.content()).not.toContain('Classmate Bambang');
    const { scroll, client } = await overflow(page);
    expect(scroll).toBeLessThanOrEqual(client);
  });

  it('is sent back to their page from staff pages, and refused by staff API routes', async () => {
    for (const path of ['/', '/sessions', '/students', `/sessions/${ids.absent}`]) {
      await page.goto(`${app.baseUrl}${path}`);
      expect(new URL(page.url()).pathname, path).toBe('/me');
    }
    expect((await page.request.get(`${app.baseUrl}/api/courses`)).status()).toBe(403);
    expect((await page.request.get(`${app.baseUrl}/api/sessions/${ids.absent}/attendance`)).status()).toBe(403);
  });

  it('disputes an absence with a short text', async () => {
    const absent = page.locator(`[data-session="${ids.absent}"]`);
    await absent.getByText('Dispute this').click();
    await absent.getByLabel('I was there').check();
    await absent.getByLabel('What happened (a few words)').fill('I sat in the last row by the door');
    await absent.getByRole('button', { name: 'Send to the lecturer' }).click();
    await absent.getByText('Dispute waiting for the lecturer').waitFor();
    const { scroll, client } = await overflow(page);
    expect(scroll).toBeLessThanOrEqual(client);
  });

  it('downloads a copy of their data and asks for erasure', async () => {
    const copy = await page.request.get(`${app.baseUrl}/api/me/data-copy`);
    expect(copy.status()).toBe(200);
    expect(copy.headers()['content-type']).toBe('application/zip');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Ask to erase my face data' }).click();
    await page.getByTestId('erasure-pending').waitFor();
  });

  it('reads the page in Indonesian, still without overflow', async () => {
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await page.getByRole('heading', { name: 'Kehadiran saya' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/tidak hadir/);
    expect(text).toMatch(/terlambat\s+pukul \d{2}[.:]\d{2}/);
    expect(text).toContain('Data Anda');
    expect(text).toContain('Keberatan menunggu dosen');
    const { scroll, client } = await overflow(page);
    expect(scroll).toBeLessThanOrEqual(client);
    expect(problems).toEqual([]);
  });

  it('opens the full privacy notice from their page', async () => {
    await page.goto(`${app.baseUrl}/me/privacy`);
    expect(await page.getByTestId('privacy-text').innerText()).toContain('Privacy: what this system stores');
    const { scroll, client } = await overflow(page);
    expect(scroll).toBeLessThanOrEqual(client);
  });

  it('the lecturer sees the dispute in the session review area and accepts it; the student sees it accepted', async () => {
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const lecturer = await campusSignIn(staff, 'dosen@campus.test');
    await lecturer.waitForURL(`${app.baseUrl}/`);
    await lecturer.goto(`${app.baseUrl}/sessions/${ids.absent}`);
    const disputes = lecturer.getByTestId('disputes');
    await disputes.getByText('I sat in the last row by the door').waitFor();
    expect(await disputes.innerText()).toContain('Putri Maharani Kusumawardhani');
    await disputes.getByRole('button', { name: 'Accept: mark present' }).click();
    await disputes.getByText('Dispute accepted').waitFor();
    await staff.close();

    await page.goto(`${app.baseUrl}/me`);
    const row = page.locator(`[data-session="${ids.absent}"]`);
    await row.getByText('Keberatan diterima').waitFor();
    expect(await row.innerText()).toMatch(/hadir/);
    expect(await row.innerText()).not.toMatch(/tidak hadir/);
  });

  it('an admin confirms the erasure request on the students page; the student then holds no face data', async () => {
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await signIn(staff, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
    await admin.goto(`${app.baseUrl}/students`);
    const requests = admin.getByTestId('erasure-requests');
    expect(await requests.innerText()).toMatch(/Putri Maharani Kusumawardhani[\s\S]*1 photo\(s\), 1 template\(s\)/);
    admin.once('dialog', (d) => void d.accept());
    await requests.getByRole('button', { name: 'Erase now' }).click();
    await requests.waitFor({ state: 'detached' });
    await staff.close();

    await page.goto(`${app.baseUrl}/me`);
    expect(await page.getByTestId('my-photos').innerText()).toBe('0');
    expect(await page.getByTestId('my-templates').innerText()).toBe('0');
    expect(await page.locator('[data-testid=erasure-pending]').count()).toBe(0);
  });
});
