/**
 * Roster import and the per-session report in a real browser (Debian's Chromium) against the built
 * app: a CSV with one bad row + a ZIP of real LFW photos packed here (never committed), preview,
 * confirm, progress, per-row result and its CSV, a re-run that changes nothing; then the report
 * matrix of the imported course, downloaded as XLSX and CSV.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL } from '@/db/seed';
import { parseCsv } from '@/lib/csv';
import { localDate } from '@/lib/dashboard/query';
import { recordAttendance } from '@/lib/data/attendances';
import { createCourse, listEnrolledStudents } from '@/lib/data/courses';
import { listPhotosForStudent } from '@/lib/data/face-photos';
import { createSession } from '@/lib/data/sessions';
import { findStudentsByNumbers } from '@/lib/data/student-import';
import { skipUnlessCi } from '@/test/helpers/needs';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

const FACES = path.resolve('../shared/faces/lfw-dev/known');
/** Student number, name, LFW folder, and two photos the quality gate accepts (Alastair_Campbell_0002's eyes are 16 px apart: too small). */
const PEOPLE = [
  ['E2R-1001', 'Al Gore', 'Al_Gore', [0, 1]],
  ['E2R-1002', 'Ai Sugiyama', 'Ai_Sugiyama', [0, 1]],
  ['E2R-1003', 'Alastair Campbell', 'Alastair_Campbell', [0, 2]],
] as const;
const hasFaces = PEOPLE.every(([, , dir]) => existsSync(path.join(FACES, dir)));
skipUnlessCi(!hasFaces, `${FACES} is absent: the roster import in the browser is not tested`);
const SHOTS = path.resolve(process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'attendance-screenshots'));
mkdirSync(SHOTS, { recursive: true });

let app: E2eApp;
let browser: Browser;
let page: Page;
let courseId: string;
const COURSE = 'E2R101';

const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const lfwPhotos = (dir: string, picks: readonly number[]) => {
  const files = readdirSync(path.join(FACES, dir))
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  return picks.map((i) => readFileSync(path.join(FACES, dir, files[i]!)));
};

beforeAll(async () => {
  app = await startApp();
  courseId = (await createCourse({ code: COURSE, courseName: 'Roster Import', lecturerId: null, room: 'R1' }, null))
    .courseId;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await signIn(context, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.skipIf(!hasFaces)('roster import in Chromium', () => {
  let roster: Buffer;
  let archive: Buffer;

  beforeAll(async () => {
    roster = Buffer.from(
      [
        'student_number,name,email,courses',
        ...PEOPLE.map(([n, name]) => `${n},${name},${n.toLowerCase()}@uni.example,${COURSE}`),
        'E2R-1004,Bad Email,bob@,',
      ].join('\n'),
    );
    const zip = new JSZip();
    for (const [n, , dir, picks] of PEOPLE)
      lfwPhotos(dir, picks).forEach((bytes, i) => zip.file(`class/${n}${i ? `_${i + 1}` : ''}.jpg`, bytes));
    zip.file(
      'class/E2R-1003_3.jpg',
      await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8899aa' } })
        .jpeg()
        .toBuffer(),
    );
    zip.file('class/E2R-7777.jpg', lfwPhotos('Al_Gore', [2])[0]!);
    archive = await zip.generateAsync({ type: 'nodebuffer' });
  });

  async function chooseAndCheck() {
    await page.getByTestId('roster-input').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: roster });
    await page
      .getByTestId('archive-input')
      .setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: archive });
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('import-preview').waitFor();
  }

  async function confirmAndWait(): Promise<string[][]> {
    await page.getByTestId('confirm-import').click();
    await page.getByTestId('import-progress').waitFor();
    await page.getByTestId('import-result').waitFor({ timeout: 120_000 });
    const download = page.waitForEvent('download');
    await page.getByTestId('result-csv').click();
    return parseCsv(readFileSync(await (await download).path(), 'utf8')).map((r) => r.cells);
  }

  it('previews the problems in words, imports with progress, shows and downloads the per-row result', async () => {
    await page.goto(`${app.baseUrl}/students`);
    await page.getByTestId('import-link').click();
    await page.waitForURL(`${app.baseUrl}/students/import`);
    await chooseAndCheck();
    const bad = page.locator('[data-testid=import-preview] tr[data-line="5"]');
    await expect(bad.textContent()).resolves.toContain('"bob@" is not an email address.');
    expect(await bad.getAttribute('data-problems')).toBe('1');
    await expect(page.getByTestId('preview-summary').textContent()).resolves.toBe(
      '4 row(s): 3 to import, 1 skipped; 7 photo(s) to enrol.',
    );
    await expect(page.getByTestId('preview-files').textContent()).resolves.toContain(
      'class/E2R-7777.jpg: No row of the roster has student number E2R-7777; the photo is not imported.',
    );
    await shot(page, 'roster-import-preview');

    const csv = await confirmAndWait();
    await expect(page.getByTestId('import-progress-text').textContent()).resolves.toBe(
      '6 of 7 photo(s) enrolled, 1 rejected',
    );
    expect(await page.getByTestId('import-progress').getAttribute('value')).toBe('7');
    const results = await page
      .locator('[data-testid=import-result] tr[data-result]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-result')));
    expect(results).toEqual(['created', 'created', 'created', 'skipped']);
    await expect(page.locator('[data-testid=import-result] tr[data-line="4"]').textContent()).resolves.toContain(
      'photo rejected: E2R-1003_3.jpg — No face found in the photo.',
    );
    await shot(page, 'roster-import-result');

    expect(csv[0]).toEqual([
      'line',
      'student_number',
      'name',
      'result',
      'courses_added',
      'photos_added',
      'photos_already_enrolled',
      'photos_rejected',
      'details',
    ]);
    expect(csv.slice(1).map((r) => [r[1], r[3], r[5], r[7]])).toEqual([
      ['E2R-1001', 'created', '2', '0'],
      ['E2R-1002', 'created', '2', '0'],
      ['E2R-1003', 'created', '2', '1'],
      ['E2R-1004', 'skipped', '0', '0'],
    ]);
    expect(csv[4]![8]).toBe('"bob@" is not an email address.');
    const students = await findStudentsByNumbers(PEOPLE.map(([n]) => n));
    expect(students).toHaveLength(3);
    expect((await listEnrolledStudents(courseId)).map((s) => s.studentNumber).sort()).toEqual(PEOPLE.map(([n]) => n));
  }, 180_000);

  it('re-running the same import changes nothing', async () => {
    const count = async () => {
      const students = await findStudentsByNumbers(PEOPLE.map(([n]) => n));
      return {
        students: students.length,
        photos: (await Promise.all(students.map((s) => listPhotosForStudent(s.studentId)))).flat().length,
        enrolled: (await listEnrolledStudents(courseId)).length,
      };
    };
    const before = await count();
    expect(before).toEqual({ students: 3, photos: 6, enrolled: 3 });
    await page.reload();
    await chooseAndCheck();
    await expect(page.locator('[data-testid=import-preview] tr[data-line="2"]').textContent()).resolves.toContain(
      'already known',
    );
    const csv = await confirmAndWait();
    expect(csv.slice(1).map((r) => [r[1], r[3], r[5], r[6]])).toEqual([
      ['E2R-1001', 'unchanged', '0', '2'],
      ['E2R-1002', 'unchanged', '0', '2'],
      ['E2R-1003', 'unchanged', '0', '2'],
      ['E2R-1004', 'skipped', '0', '0'],
    ]);
    await expect(page.getByTestId('result-summary').textContent()).resolves.toBe(
      '0 created, 0 updated, 3 unchanged, 1 skipped; 0 photo(s) added, 1 rejected.',
    );
    expect(await count()).toEqual(before);
  }, 180_000);
});

describe.skipIf(!hasFaces)('per-session report matrix in Chromium', () => {
  it('shows the matrix with its chart and links, and exports it as XLSX and CSV with the same cells', async () => {
    const students = Object.fromEntries(
      (await findStudentsByNumbers(PEOPLE.map(([n]) => n))).map((s) => [s.studentNumber!, s.studentId]),
    );
    const day = (n: number) => {
      const d = new Date();
      d.setDate(d.getDate() - n);
      d.setHours(9, 0, 0, 0);
      return d;
    };
    const sessions = [];
    for (const n of [9, 2]) {
      sessions.push(
        await createSession(
          {
            courseId,
            cameraId: null,
            date: localDate(day(n)),
            startsAt: day(n),
            endsAt: new Date(day(n).getTime() + 90 * 60_000),
            room: 'R1',
            lateAfterMinutes: null,
            status: 'closed',
          },
          null,
        ),
      );
    }
    await recordAttendance({
      sessionId: sessions[0]!.sessionId,
      studentId: students['E2R-1001']!,
      seenAt: day(9),
      status: 'present',
    });
    await recordAttendance({
      sessionId: sessions[0]!.sessionId,
      studentId: students['E2R-1002']!,
      seenAt: day(9),
      status: 'late',
    });
    await recordAttendance({
      sessionId: sessions[1]!.sessionId,
      studentId: students['E2R-1001']!,
      seenAt: day(2),
      status: 'present',
    });
    const from = localDate(day(30));
    const to = localDate(new Date());
    await page.goto(`${app.baseUrl}/reports?from=${from}&to=${to}&courseId=${courseId}`);
    const matrix = page.getByTestId('session-matrix');
    await matrix.waitFor();
    await page.locator('[data-testid=session-rate-chart] .recharts-line').waitFor();
    await expect(page.getByTestId('session-rate').allTextContents()).resolves.toEqual(['66.7 %', '33.3 %']);
    await expect(matrix.locator('tr[data-student="E2R-1002"]').textContent()).resolves.toMatch(/Ai Sugiyama.*LA50 %/);
    expect(await matrix.locator('tr[data-student="E2R-1001"] a').getAttribute('href')).toBe(
      `/students/${students['E2R-1001']}`,
    );
    expect(await page.getByTestId('matrix-session').first().getAttribute('href')).toBe(
      `/sessions/${sessions[0]!.sessionId}`,
    );
    await shot(page, 'reports-matrix');

    const label = (d: Date) => `${localDate(d)} 09:00`;
    const expected = [
      ['student_number', 'name', label(day(9)), label(day(2)), 'attended', 'sessions', 'rate_percent'],
      ['E2R-1002', 'Ai Sugiyama', 'L', 'A', '1', '2', '50'],
      ['E2R-1001', 'Al Gore', 'P', 'P', '2', '2', '100'],
      ['E2R-1003', 'Alastair Campbell', 'A', 'A', '0', '2', '0'],
      ['', 'rate per session (%)', '66.7', '33.3', '', '', '50'],
    ];
    let download = page.waitForEvent('download');
    await page.getByTestId('matrix-xlsx').click();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await (await download).path());
    const cells: string[][] = [];
    book
      .getWorksheet('Matrix')!
      .eachRow((row) => cells.push(Array.from({ length: 7 }, (_, i) => String(row.getCell(i + 1).value ?? ''))));
    expect(cells).toEqual(expected);

    download = page.waitForEvent('download');
    await page.getByTestId('matrix-csv').click();
    const dl = await download;
    expect(dl.suggestedFilename()).toBe(`attendance-matrix-${COURSE}-${from}-to-${to}.csv`);
    expect(parseCsv(readFileSync(await dl.path(), 'utf8')).map((r) => r.cells)).toEqual(expected);
  }, 120_000);
});
