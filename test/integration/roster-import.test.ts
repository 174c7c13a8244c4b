/**
 * The dashboard's roster import core (CSV + ZIP → preview → import) against a real MariaDB, with the
 * real face engine on LFW photos, local-disk storage in a temp folder; and the route's refusals.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog } from '@/db/schema';
import { listEnrolledStudents } from '@/lib/data/courses';
import { listPhotosForStudent } from '@/lib/data/face-photos';
import { countTemplatesForStudent } from '@/lib/data/face-templates';
import { findStudentsByNumbers } from '@/lib/data/student-import';
import { rosterImportStream, type RosterImportEvent } from '@/lib/dashboard/roster-import-stream';
import { PHOTO_LIMITS, photosFromZip } from '@/lib/enrollment/photo-files';
import { parseRosterCsv } from '@/lib/enrollment/roster-csv';
import {
  planRosterImport,
  rosterResultCsv,
  runRosterImport,
  type RosterImportResult,
} from '@/lib/enrollment/roster-plan';
import type { FaceEngine } from '@/lib/face/engine';
import { parseCsv } from '@/lib/csv';
import { LocalDiskStorage } from '@/lib/storage';
import { makeCourse, makeStudent, makeUser } from '@/test/factories';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: 'admin'; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

const LFW = path.resolve(process.cwd(), '../shared/faces/lfw-dev/known');
const PEOPLE = ['Al_Gore', 'Ai_Sugiyama', 'Alastair_Campbell'];
const hasFaces = PEOPLE.every((p) => existsSync(path.join(LFW, p)));
skipUnlessCi(!hasFaces, `[roster-import.test] ${LFW} is absent: the roster import on real photos is skipped`);

useThrowawayDatabase();

let dataDir: string;
let storage: LocalDiskStorage;
let engine: FaceEngine;
let courseCode: string;
let courseId: string;
let adminId: string;

const zip = async (files: Record<string, Uint8Array | string>) => {
  const z = new JSZip();
  for (const [name, data] of Object.entries(files)) z.file(name, data);
  return z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
};
const lfw = async (person: string, n: number) =>
  readFile(path.join(LFW, person, (await readdir(path.join(LFW, person))).sort()[n]!));
const wall = () =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: '#5a8' } })
    .jpeg()
    .toBuffer();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'roster-'));
  storage = new LocalDiskStorage(dataDir);
  const course = await makeCourse();
  courseCode = course.code;
  courseId = course.courseId;
  const admin = await makeUser({ role: 'admin' });
  adminId = admin.userId;
  signedIn = { id: admin.userId, role: 'admin', email: admin.email };
  if (hasFaces) engine = await (await import('@/lib/face/engine')).FaceEngine.load({ matcher: 'embedding' });
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('roster preview', () => {
  it('names each row problem and each unmatched file in words, and writes nothing', async () => {
    const known = await makeStudent({ studentNumber: 'P-0009', name: 'Known Person' });
    const csv = [
      'student_number,name,email,courses',
      `P-0001,Ana Lima,ana@uni.example,${courseCode}`,
      ',No Number,nn@uni.example,',
      'P-0003,Bad Mail,bob@,',
      'P-0004,Wrong Course,,NOPE999',
      'p-0001,Ana Again,,',
      'P-0009,Known Person,,',
    ].join('\n');
    const photos = await photosFromZip(
      await zip({ 'P-0001.jpg': 'x', 'P-0001_2.jpg': 'y', 'P-0777.jpg': 'z', 'P-0003.jpg': 'w', 'readme.txt': 'r' }),
    );
    const { preview, entries } = await planRosterImport(parseRosterCsv(csv), photos);
    const problems = Object.fromEntries(preview.rows.map((r) => [r.line, r.problems.map((p) => p.message)]));
    expect(problems).toEqual({
      2: [],
      3: ['The student number is missing.'],
      4: ['"bob@" is not an email address.'],
      5: ['There is no course with code NOPE999.'],
      6: ['Student number p-0001 is also on line 2; only that line is imported.'],
      7: [],
    });
    expect(preview.rows.find((r) => r.line === 2)).toMatchObject({
      photos: ['P-0001.jpg', 'P-0001_2.jpg'],
      existing: false,
      noPhoto: false,
    });
    // A known student without templates and without a photo here cannot be recognised: say so.
    expect(preview.rows.find((r) => r.line === 7)).toMatchObject({ existing: true, noPhoto: true });
    expect(preview.files.map((f) => `${f.file}: ${f.message}`).sort()).toEqual([
      'P-0003.jpg: Line 4 is skipped, so its photo is not imported.',
      'P-0777.jpg: No row of the roster has student number P-0777; the photo is not imported.',
      'readme.txt: Not a photo (JPEG, PNG or WebP); it is not imported.',
    ]);
    expect(preview.summary).toEqual({ rows: 6, toImport: 2, skipped: 4, photos: 2 });
    expect(entries.map((e) => e.line)).toEqual([2, 7]);
    expect(await findStudentsByNumbers(['P-0001', 'P-0003', 'P-0004'])).toEqual([]);
    expect((await findStudentsByNumbers(['P-0009']))[0]).toMatchObject({
      studentId: known.studentId,
      name: 'Known Person',
    });
  });
});

describe('POST /api/students/import refusals', () => {
  const post = async (form: FormData) => {
    const { POST } = await import('@/app/api/students/import/route');
    const res = await POST(
      new Request('http://test/api/students/import', {
        method: 'POST',
        body: form,
        headers: { origin: 'http://test' },
      }),
      { params: Promise.resolve({}) },
    );
    return {
      status: res.status,
      body: (await res.json()) as { error?: { message: string } } & Record<string, unknown>,
    };
  };
  const formWith = (csv: string, archive?: Uint8Array) => {
    const f = new FormData();
    f.append('mode', 'preview');
    f.append('roster', new File([csv], 'roster.csv', { type: 'text/csv' }));
    if (archive) f.append('archive', new File([Buffer.from(archive)], 'photos.zip', { type: 'application/zip' }));
    return f;
  };

  it('refuses a ZIP with a path leaving it, and a file that is not a ZIP, with 400 and a sentence', async () => {
    const bytes = Buffer.from(await zip({ 'xx/S1.jpg': 'x' }));
    bytes.write('../S1', bytes.indexOf('xx/S1'), 'latin1');
    const traversal = await post(formWith('student_number,name\nS1,A', bytes));
    expect(traversal).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: 'The photo archive was refused: "../S1.jpg" points outside the archive.',
        },
      },
    });
    const notZip = await post(formWith('student_number,name\nS1,A', Buffer.from('plain text')));
    expect(notZip.body.error?.message).toBe('The photo archive is not a ZIP file that can be opened.');
  });

  it('refuses a roster without column names, and an upload without a roster', async () => {
    expect((await post(formWith('S1,A,a@b.c'))).body.error?.message).toMatch(
      /^The first line of the roster must name its columns/,
    );
    const none = await post(new FormData());
    expect(none).toMatchObject({
      status: 400,
      body: { error: { message: 'Choose the roster file (CSV) to import.' } },
    });
  });

  it('answers a valid preview as JSON and writes nothing', async () => {
    const r = await post(formWith('student_number,name\nZ-1,Zed'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ summary: { rows: 1, toImport: 1, skipped: 0, photos: 0 } });
    expect(await findStudentsByNumbers(['Z-1'])).toEqual([]);
  });

  it('a zip bomb within the declared limits is refused photo by photo, never unpacked whole', async () => {
    const bomb = await zip({ 'B-1.jpg': new Uint8Array(PHOTO_LIMITS.maxPhotoBytes + 1) });
    const { preview, entries } = await planRosterImport(
      parseRosterCsv('student_number,name\nB-1,Bomb'),
      await photosFromZip(bomb),
    );
    expect(preview.rows[0]!.photos).toEqual(['B-1.jpg']);
    const fake = {
      enrollmentTemplate: async () => {
        throw new Error('must not be called');
      },
    };
    const result = await runRosterImport({ preview, entries }, { engine: fake, storage, actorUserId: adminId });
    expect(result.rows[0]).toMatchObject({
      result: 'created',
      photosAdded: 0,
      rejected: [{ file: 'B-1.jpg', reason: 'Larger than 10 MB.' }],
    });
  });
});

describe.skipIf(!hasFaces)('roster import on real photos', () => {
  let archive: Uint8Array;
  const csv = () =>
    [
      'student_number,name,email,courses',
      `R-1001,Al Gore,al@uni.example,${courseCode}`,
      `R-1002,Colin Powell,,${courseCode}`,
      `R-1003,Tony Blair,tony@uni.example,${courseCode}`,
      'R-1004,No Course Row,,XX-NONE',
    ].join('\n');
  const run = async (text: string) => {
    const plan = await planRosterImport(parseRosterCsv(text), await photosFromZip(archive));
    return runRosterImport(plan, { engine, storage, actorUserId: adminId });
  };

  beforeAll(async () => {
    archive = await zip({
      'photos/R-1001.jpg': await lfw('Al_Gore', 0),
      'photos/R-1001_2.jpg': await lfw('Al_Gore', 1),
      'photos/R-1002.jpg': await lfw('Ai_Sugiyama', 0),
      'photos/R-1003.jpg': await lfw('Alastair_Campbell', 0),
      'photos/R-1003_2.jpg': await wall(),
    });
  });

  it(
    'creates the students, enrols them, enrols the photos, rejects the one without a face; a second run changes nothing',
    { timeout: 180_000 },
    async () => {
      const first = await run(csv());
      const byNumber = Object.fromEntries(first.rows.map((r) => [r.studentNumber, r]));
      expect(byNumber['R-1001']).toMatchObject({ result: 'created', coursesAdded: 1, photosAdded: 2, rejected: [] });
      expect(byNumber['R-1002']).toMatchObject({ result: 'created', coursesAdded: 1, photosAdded: 1 });
      expect(byNumber['R-1003']).toMatchObject({
        result: 'created',
        photosAdded: 1,
        rejected: [{ file: 'R-1003_2.jpg', reason: 'No face found in the photo.' }],
      });
      expect(byNumber['R-1004']).toMatchObject({
        result: 'skipped',
        studentId: null,
        problems: ['There is no course with code XX-NONE.'],
      });
      expect(first.summary).toEqual({
        created: 3,
        updated: 0,
        unchanged: 0,
        skipped: 1,
        photosAdded: 4,
        photosRejected: 1,
      });

      const snapshot = async () => {
        const students = await findStudentsByNumbers(['R-1001', 'R-1002', 'R-1003', 'R-1004']);
        const photos = await Promise.all(
          students.map(async (s) => [
            s.studentNumber,
            (await listPhotosForStudent(s.studentId)).length,
            await countTemplatesForStudent(s.studentId),
          ]),
        );
        const enrolled = (await listEnrolledStudents(courseId)).map((s) => s.studentNumber).sort();
        return {
          students: students.map((s) => [s.studentId, s.studentNumber, s.name, s.email]).sort(),
          photos: photos.sort(),
          enrolled,
        };
      };
      const before = await snapshot();
      expect(before.photos).toEqual([
        ['R-1001', 2, 2],
        ['R-1002', 1, 1],
        ['R-1003', 1, 1],
      ]);
      expect(before.enrolled).toEqual(['R-1001', 'R-1002', 'R-1003']);

      const second = await run(csv());
      expect(await snapshot()).toEqual(before);
      expect(second.rows.map((r) => r.result)).toEqual(['unchanged', 'unchanged', 'unchanged', 'skipped']);
      expect(second.summary).toMatchObject({ created: 0, updated: 0, unchanged: 3, photosAdded: 0 });
      expect(second.rows[0]).toMatchObject({ photosKnown: 2, coursesAdded: 0 });
      // The face-less photo is judged again (rejected photos are never stored) and still says why.
      expect(second.rows[2]!.rejected).toEqual([{ file: 'R-1003_2.jpg', reason: 'No face found in the photo.' }]);

      // The result CSV has one line per row with the result and the reasons.
      const lines = parseCsv(rosterResultCsv(second)).map((r) => r.cells);
      expect(lines[0]).toEqual([
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
      expect(lines[3]).toEqual([
        '4',
        'R-1003',
        'Tony Blair',
        'unchanged',
        '0',
        '0',
        '1',
        '1',
        'R-1003_2.jpg: No face found in the photo.',
      ]);
      expect(lines[4]).toEqual([
        '5',
        'R-1004',
        'No Course Row',
        'skipped',
        '0',
        '0',
        '0',
        '0',
        'There is no course with code XX-NONE.',
      ]);

      // Each run is one audit row with its counts, by the admin who ran it.
      const audits = await getDb()
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'student.roster_import'))
        .orderBy(asc(auditLog.createdAt));
      expect(audits.slice(-2).map((a) => [a.actorUserId, a.details])).toEqual([
        [
          adminId,
          expect.objectContaining({
            created: 3,
            skipped: 1,
            photosAdded: 4,
            photosRejected: 1,
            createdNumbers: ['R-1001', 'R-1002', 'R-1003'],
          }),
        ],
        [adminId, expect.objectContaining({ created: 0, unchanged: 3, photosAdded: 0 })],
      ]);
    },
  );

  it(
    'a changed name is an update; the stream reports progress per photo, then the result',
    { timeout: 120_000 },
    async () => {
      const plan = await planRosterImport(
        parseRosterCsv(csv().replace('Colin Powell', 'Colin L. Powell')),
        await photosFromZip(archive),
      );
      const events: RosterImportEvent[] = [];
      const reader = rosterImportStream((progress) =>
        runRosterImport(plan, { engine, storage, actorUserId: adminId, progress }),
      ).getReader();
      let text = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString('utf8');
      for (const line of text.trim().split('\n')) events.push(JSON.parse(line) as RosterImportEvent);
      expect(events[0]).toEqual({ type: 'start', total: 5 });
      expect(events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.done : 0))).toEqual([
        1, 2, 3, 4, 5,
      ]);
      const done = events.at(-1) as Extract<RosterImportEvent, { type: 'done' }>;
      expect(done.type).toBe('done');
      const result: RosterImportResult = done.result;
      expect(result.rows.map((r) => [r.studentNumber, r.result])).toEqual([
        ['R-1001', 'unchanged'],
        ['R-1002', 'updated'],
        ['R-1003', 'unchanged'],
        ['R-1004', 'skipped'],
      ]);
      expect(done.csv).toBe(rosterResultCsv(result));
      const [colin] = await findStudentsByNumbers(['R-1002']);
      expect(colin!.name).toBe('Colin L. Powell');
    },
  );
});
