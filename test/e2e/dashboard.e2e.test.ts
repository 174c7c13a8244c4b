/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core) against the built app and
 * a throwaway MariaDB database. Screenshots of the main pages go to $SCREENSHOT_DIR (a temp folder by
 * default, so a test run leaves the checkout clean; `npm run screenshots` refreshes docs/screenshots/).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { recordAttendance } from '@/lib/data/attendances';
import { findCourseByCode } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { claimLeases, ensureLeaseRows } from '@/lib/data/camera-leases';
import { heartbeatWorker } from '@/lib/data/workers';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium, signIn } from './browser';
import { DIST_DIR, startApp, type E2eApp } from './server';
import { skipUnlessCi } from '@/test/helpers/needs';
import { timetableAndCameraSteps } from './timetable-camera.steps';

const FACES = path.resolve('../shared/faces/lfw-dev/known');
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'attendance-screenshots'));
mkdirSync(SHOTS, { recursive: true });

let app: E2eApp;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
const state: { courseId?: string; studentId?: string; sessionId?: string } = {};

const login = (context: BrowserContext, email: string, password: string): Promise<Page> =>
  signIn(context, app.baseUrl, email, password);

const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await login(admin, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('dashboard in Chromium', () => {
  it('shows the overview after signing in as admin: date, key figures, sessions that never ran', async () => {
    await expect(page.getByTestId('whoami').textContent()).resolves.toContain('admin');
    // A session of yesterday that nobody ran is listed; the figures name what needs doing.
    const course = (await findCourseByCode('CS101'))!;
    const y = new Date(Date.now() - 26 * 3_600_000);
    const missed = await createSession(
      {
        courseId: course.courseId,
        cameraId: null,
        date: y.toISOString().slice(0, 10),
        startsAt: y,
        endsAt: new Date(y.getTime() + 90 * 60_000),
        room: 'Y1',
        lateAfterMinutes: null,
        status: 'scheduled',
      },
      null,
    );
    await page.reload();
    const figures = page.getByTestId('key-figures');
    await expect(figures.locator('[data-figure=noTemplates]').textContent()).resolves.toMatch(
      /Students without face templates\d+/,
    );
    await expect(figures.locator('[data-figure=camerasOffline]').textContent()).resolves.toMatch(
      /Cameras offline\d+ \/ \d+/,
    );
    await expect(figures.locator('[data-figure=weekRate]').textContent()).resolves.toContain('week before');
    await expect(
      page.getByTestId('never-run').locator(`a[href="/sessions/${missed.sessionId}"]`).textContent(),
    ).resolves.toContain('CS101');
    await shot(page, 'overview');
  });

  it('creates a course and a student through the forms', async () => {
    await page.goto(`${app.baseUrl}/courses`);
    await page.fill('input[name=code]', 'E2E101');
    await page.fill('input[name=courseName]', 'Browser Testing');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'E2E101' }).waitFor();
    state.courseId = (await findCourseByCode('E2E101'))!.courseId;
    await shot(page, 'courses');

    await page.goto(`${app.baseUrl}/students`);
    await page.fill('input[name=name]', 'Al Gore');
    await page.fill('input[name=studentNumber]', 'E2E-001');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Al Gore' }).click();
    await page.waitForURL(/\/students\/[\w-]+$/);
    state.studentId = page.url().split('/').pop();
    await shot(page, 'students');
  });

  it('uploads several photos and shows a verdict per photo, rejecting one without a face and flagging one of someone else', async (ctx) => {
    if (!existsSync(FACES)) {
      skipUnlessCi(true, `${FACES} is absent: photo enrolment in the browser is not tested`);
      ctx.skip();
    }
    const dir = path.join(FACES, 'Al_Gore');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, 2)
      .map((f) => ({ name: f, mimeType: 'image/jpeg', buffer: readFileSync(path.join(dir, f)) }));
    const noFace = {
      name: 'wall.jpg',
      mimeType: 'image/jpeg',
      buffer: await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8899aa' } })
        .jpeg()
        .toBuffer(),
    };
    const notes = { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') };
    const someoneElse = path.join(FACES, 'Colin_Powell', 'Colin_Powell_0001.jpg');
    const other = { name: 'Colin_Powell_0001.jpg', mimeType: 'image/jpeg', buffer: readFileSync(someoneElse) };
    await page.getByTestId('photo-input').setInputFiles([...files, other, noFace, notes]);
    const verdicts = page.getByTestId('verdicts').locator('li');
    await verdicts.nth(4).waitFor({ timeout: 90_000 });
    const accepted = await page.getByTestId('verdicts').locator('li[data-status=accepted]').count();
    expect(accepted).toBeGreaterThanOrEqual(1);
    const rejected = page.getByTestId('verdicts').locator('li[data-status=rejected]', { hasText: 'wall.jpg' });
    await expect(rejected.textContent()).resolves.toMatch(/No face/i);
    // A file that is not a photo gets a verdict too, and is never uploaded.
    await expect(
      page.getByTestId('verdicts').locator('li[data-status=rejected]', { hasText: 'notes.txt' }).textContent(),
    ).resolves.toMatch(/not a photo/i);
    // Someone else's photo is enrolled but flagged, in words, in its verdict and in the photo list.
    const flagged = page.getByTestId('verdicts').locator('li[data-warning]');
    expect(await flagged.count()).toBe(1);
    await expect(flagged.textContent()).resolves.toMatch(
      /Colin_Powell_0001\.jpg.*does not look like the student's other photos/,
    );
    await page.reload();
    await page.getByTestId('photos').locator('[data-testid=face-box]').first().waitFor();
    // Rejected files are not stored: the student's photos are the accepted ones only.
    expect(await page.getByTestId('photos').locator('li').count()).toBe(accepted);
    await expect(page.getByTestId('photos').getByTestId('photo-warning').textContent()).resolves.toMatch(
      /Check this photo.*This photo does not look like the student's other photos \(similarity -?0\.\d\d\)\. Check that it shows Al Gore/,
    );
    await shot(page, 'student-photos');
    // The students list says how many students have templates of the running model.
    await page.goto(`${app.baseUrl}/students`);
    const coverage = (await page.getByTestId('template-coverage').textContent()) ?? '';
    const [, n, m] = coverage.match(/Templates: (\d+) of (\d+) up to date \(arcface-fr_feature@/) ?? [];
    expect(Number(n), coverage).toBeGreaterThanOrEqual(1);
    expect(Number(n)).toBeLessThanOrEqual(Number(m));
  }, 120_000);

  it('enrols the student in bulk and shows a live session updating as the worker records', async () => {
    await page.goto(`${app.baseUrl}/courses/${state.courseId}`);
    await page.fill('textarea[name=students]', 'E2E-001\nNO-SUCH');
    await page.getByRole('button', { name: 'Save' }).last().click();
    await page.getByTestId('form-notice').last().waitFor();
    await expect(page.getByTestId('form-notice').last().textContent()).resolves.toContain('1 student(s) added');

    const startsAt = new Date(Date.now() - 5 * 60_000);
    const session = await createSession(
      {
        courseId: state.courseId!,
        cameraId: null,
        date: startsAt.toISOString().slice(0, 10),
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        room: 'E1',
        lateAfterMinutes: null,
        status: 'open',
      },
      null,
    );
    state.sessionId = session.sessionId;
    await page.goto(`${app.baseUrl}/sessions/${session.sessionId}`);
    await expect(page.getByTestId('absent').textContent()).resolves.toContain('Al Gore');
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();

    const t0 = Date.now();
    await recordAttendance({
      sessionId: session.sessionId,
      studentId: state.studentId!,
      seenAt: new Date(),
      confidence: 0.91,
    });
    await page.getByTestId('present').getByText('Al Gore').waitFor({ timeout: 5_000 });
    const latencyMs = Date.now() - t0;
    console.log(`live update visible after ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(3_000);
    await expect(page.getByTestId('rate').textContent()).resolves.toBe('100 %');
    await shot(page, 'live-session');
  });

  it('exports the report as CSV with the attendance rows', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${app.baseUrl}/reports?from=${today}&to=${today}&courseId=${state.courseId}`);
    await shot(page, 'reports');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe('course,student_number,name,sessions,attended,rate_percent,below_threshold');
    expect(csv).toContain('E2E101,E2E-001,Al Gore,1,1,100,no');
  });

  it('renders the other admin pages', async () => {
    for (const [url, name] of [
      ['/sessions', 'sessions'],
      ['/cameras', 'cameras'],
      ['/audit', 'audit'],
    ] as const) {
      const res = await page.goto(`${app.baseUrl}${url}`);
      expect(res?.status()).toBe(200);
      // Security headers on every page (and the page still works under its CSP: these tests click through it).
      expect(res?.headers()).toMatchObject({
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'strict-origin-when-cross-origin',
      });
      expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await shot(page, name);
    }
    const api = await page.request.get(`${app.baseUrl}/api/sessions`);
    expect(api.headers()).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' });
    expect(api.headers()['strict-transport-security']).toBeUndefined();
    const behindTls = await fetch(`${app.baseUrl}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    await expect(page.locator('body').textContent()).resolves.toContain('attendance');
  });

  it('shows on the cameras page which worker holds each camera and the workers with their health', async () => {
    // A worker that registered and took the seeded camera, but whose HTTP port answers nobody.
    await heartbeatWorker({
      workerId: 'e2e-worker-1',
      internalUrl: 'http://127.0.0.1:9',
      capacity: 8,
      startedAt: new Date(),
    });
    await ensureLeaseRows();
    expect(await claimLeases('e2e-worker-1', 60_000, 10)).not.toEqual([]);
    await page.goto(`${app.baseUrl}/cameras`);
    await expect(page.getByTestId('camera-worker').first().textContent()).resolves.toBe('e2e-worker-1');
    const row = page.getByTestId('worker-row').filter({ hasText: 'e2e-worker-1' });
    await expect(row.textContent()).resolves.toContain('http://127.0.0.1:9');
    await expect(row.textContent()).resolves.toContain('Worker not reachable.');
    // A worker that answers /healthz with its measured load (lease-manager.ts, pipeline.leases.load).
    const load = {
      windowSeconds: 30.2,
      cameras: 3,
      arrivedPerSecond: 15,
      analysedPerSecond: 11.4,
      analysedShare: 0.76,
      oldestQueueAgeMs: 640,
      queueBehindFrames: 3.2,
      judged: true,
      saturated: true,
      capacity: 2,
      maxCapacity: 50,
      capacityReason: 'overloaded',
    };
    const healthz = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', checks: {}, pipeline: { cameras: [], leases: { load } } }));
    });
    healthz.listen(0, '127.0.0.1');
    await once(healthz, 'listening');
    try {
      await heartbeatWorker({
        workerId: 'e2e-worker-2',
        internalUrl: `http://127.0.0.1:${(healthz.address() as AddressInfo).port}`,
        capacity: 2,
        startedAt: new Date(),
      });
      await page.goto(`${app.baseUrl}/cameras`);
      const loaded = page.getByTestId('worker-row').filter({ hasText: 'e2e-worker-2' });
      await expect(loaded.getByTestId('worker-cameras').textContent()).resolves.toBe('0 of 2 (at most 50)');
      await expect(loaded.getByTestId('worker-load').textContent()).resolves.toBe(
        'saturated11.4 of 15 frames/s analysed over 30 s',
      );
      await expect(loaded.textContent()).resolves.toContain('640 ms');
      await expect(loaded.getByTestId('worker-capacity-reason').textContent()).resolves.toContain('overloaded');
    } finally {
      healthz.close();
    }
    await shot(page, 'cameras-workers');
  });

  it("keeps a lecturer out of another lecturer's course and admin pages", async () => {
    const lecturer = await browser.newContext();
    const p = await login(lecturer, DEMO_LECTURER_EMAIL, app.passwords[DEMO_LECTURER_EMAIL]!);
    // Pages render fully before answering (no loading.tsx streaming), so the 403 page is an HTTP 403.
    expect((await p.goto(`${app.baseUrl}/courses/${state.courseId}`))?.status()).toBe(403);
    await expect(p.locator('h1').first().textContent()).resolves.toContain('403');
    expect((await p.request.get(`${app.baseUrl}/api/courses/${state.courseId}`)).status()).toBe(403);
    expect((await p.goto(`${app.baseUrl}/students`))?.status()).toBe(403);
    await expect(p.locator('h1').first().textContent()).resolves.toContain('403');
    await lecturer.close();
    const anon = await browser.newContext();
    expect((await anon.request.get(`${app.baseUrl}/api/sessions`)).status()).toBe(401);
    const ap = await anon.newPage();
    await ap.goto(`${app.baseUrl}/reports`);
    expect(new URL(ap.url()).pathname).toBe('/login');
    await anon.close();
  });
});

describe('user administration', () => {
  const email = 'e2e.lecturer@example.edu';
  const row = () => page.locator(`[data-testid=user-row][data-email="${email}"]`);

  it('an admin adds a lecturer, disables them (their open session is logged out, sign-in refused), enables them and resets the password', async () => {
    await page.goto(`${app.baseUrl}/users`);
    await page.getByRole('link', { name: 'Users' }).first().waitFor();
    await page.fill('input[name=email]', email);
    await page.fill('input[name=name]', 'E2E Lecturer');
    await page.selectOption('select[name=role]', 'lecturer');
    await page.getByRole('button', { name: 'Create' }).click();
    const password = ((await page.getByTestId('revealed').locator('code').textContent()) ?? '').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await row().waitFor();
    await expect(row().textContent()).resolves.toMatch(/lecturer.*active.*never/);
    await shot(page, 'users');

    const lecturer = await browser.newContext();
    const lp = await login(lecturer, email, password);
    await lp.goto(`${app.baseUrl}/sessions`);
    expect(new URL(lp.url()).pathname).toBe('/sessions');

    page.once('dialog', (d) => void d.accept());
    await row().getByRole('button', { name: 'Disable' }).click();
    await row().getByText('disabled', { exact: true }).waitFor();

    // The lecturer's very next request is signed out: the page goes to the login form, the API answers 401.
    await lp.goto(`${app.baseUrl}/sessions`);
    await lp.waitForURL(/\/login/);
    expect((await lp.request.get(`${app.baseUrl}/api/sessions`)).status()).toBe(401);
    // Signing in again fails like a wrong password.
    await lp.fill('input[name=email]', email);
    await lp.fill('input[name=password]', password);
    await lp.click('button[type=submit]');
    await lp.locator('form[aria-label="Sign in"] [role=alert]', { hasText: 'Wrong email or password.' }).waitFor();
    expect(new URL(lp.url()).pathname).toBe('/login');
    await lecturer.close();

    await row().getByRole('button', { name: 'Enable' }).click();
    await row().getByText('active', { exact: true }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await row().getByRole('button', { name: 'Reset password' }).click();
    const fresh = ((await row().getByTestId('revealed-once').locator('code').textContent()) ?? '').trim();
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(fresh).not.toBe(password);
    // The new password signs in (a success also clears this IP's failure count for the limit test below).
    const again = await browser.newContext();
    const ap = await login(again, email, fresh);
    await expect(ap.getByTestId('whoami').textContent()).resolves.toContain('lecturer');
    // A lecturer does not see the Users page.
    await ap.goto(`${app.baseUrl}/users`);
    await expect(ap.locator('h1').first().textContent()).resolves.toContain('403');
    await again.close();
  }, 120_000);
});
// Timetables and camera setup (their own file; they reuse this app, admin page and course).
timetableAndCameraSteps({ app: () => app, page: () => page, courseId: () => state.courseId!, shot });

describe('production start-up', () => {
  it('refuses to start without AUTH_SECRET: exits non-zero with one line naming it', async () => {
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
      DATA_DIR: app.dataDir,
    } as NodeJS.ProcessEnv;
    delete env.AUTH_SECRET;
    delete env.NEXTAUTH_SECRET;
    const child = spawn('node_modules/.bin/next', ['start', '-p', '0', '-H', '127.0.0.1'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve(null)), 30_000);
      child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    expect(output.split('\n').filter((l) => l.includes('AUTH_SECRET'))).toEqual([
      expect.stringMatching(/^Refusing to start: AUTH_SECRET: required in production .*npm run setup/),
    ]);
  }, 40_000);
});

// Last in this file: it leaves 127.0.0.1 over the per-IP sign-in limit for 15 minutes.
describe('sign-in brute-force limit (POST /api/auth/callback/credentials)', () => {
  /** One credentials sign-in as the login form makes it; returns the HTTP status and Retry-After. */
  async function attempt(
    email: string,
    password: string,
  ): Promise<{ status: number; retryAfter: string | null; body: { error?: string; url?: string } }> {
    const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`);
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${app.baseUrl}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json().catch(() => ({}))) as { error?: string; url?: string },
    };
  }

  it('refuses with 429 + Retry-After after 10 failures in a row, even the right password; a success resets the count', async () => {
    const email = DEMO_LECTURER_EMAIL,
      password = app.passwords[DEMO_LECTURER_EMAIL]!;
    for (let i = 0; i < 9; i++) expect((await attempt(email, 'wrong-password')).status).toBe(401);
    expect((await attempt(email, password)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await attempt(email, 'wrong-password')).status).toBe(401);
    const blocked = await attempt(` ${email.toUpperCase()} `, password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(800);
    expect(blocked.body.error).toMatch(/Too many failed sign-ins/);
    expect(new URL(blocked.body.url!).searchParams.get('error')).toBe('TooManyAttempts');
  });
});
