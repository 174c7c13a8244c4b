/**
 * An enrolment photo that does not look like the student's other photos is enrolled but flagged, in
 * words: in the upload's answer (`POST /api/students/:id/photos`), in the student's photo list
 * (`GET /api/students/:id`) and in a roster import's row. Real routes, the real engine on real LFW
 * faces, a throwaway MariaDB and local-disk storage in a temp folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { listPhotosForStudent } from '@/lib/data/face-photos';
import { rosterResultCsv, runRosterImport, type RosterPlan } from '@/lib/enrollment/roster-plan';
import { FaceEngine } from '@/lib/face/engine';
import { getStorage } from '@/lib/storage';
import { makeStudent, makeUser } from '@/test/factories';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

const LFW = path.resolve(process.cwd(), '../shared/faces/lfw-dev/known');
const GORE = 'Al_Gore';
const POWELL = 'Colin_Powell';
const hasFaces = existsSync(path.join(LFW, GORE)) && existsSync(path.join(LFW, POWELL));
skipUnlessCi(
  !hasFaces,
  `[enroll-photo-consistency.test] ${LFW}/{${GORE},${POWELL}} absent: the photo check is skipped`,
);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'enroll-consistency-'));
process.env.DATA_DIR = dataDir;

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeAll(async () => {
  const u = await makeUser({ role: 'admin' });
  signedIn = { id: u.userId, role: 'admin', email: u.email };
});

const photo = (person: string, n: number) => {
  const file = `${person}_${String(n).padStart(4, '0')}.jpg`;
  return { file, bytes: () => readFile(path.join(LFW, person, file)) };
};

type Warning = { code: string; similarity: number; message: string };
type Result = { filename: string; status: string; photoId?: string; warning?: Warning };
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const photosRoute = async () => (await import('@/app/api/students/[studentId]/photos/route')).POST as Handler;
const studentRoute = async (m: 'GET') => (await import('@/app/api/students/[studentId]/route'))[m] as Handler;

async function upload(studentId: string, photos: Array<ReturnType<typeof photo>>): Promise<Result[]> {
  const form = new FormData();
  for (const p of photos) form.append('photos', new File([new Uint8Array(await p.bytes())], p.file));
  const req = new Request(`http://test/api/students/${studentId}/photos`, {
    method: 'POST',
    headers: { origin: 'http://test' },
    body: form,
  });
  const res = await (await photosRoute())(req, { params: Promise.resolve({ studentId }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

/** The photo list as the API answers it: photo id → warning code (or null). */
async function listed(studentId: string): Promise<Record<string, Warning | null>> {
  const req = new Request(`http://test/api/students/${studentId}`, { headers: { origin: 'http://test' } });
  const res = await (await studentRoute('GET'))(req, { params: Promise.resolve({ studentId }) });
  expect(res.status).toBe(200);
  const { photos } = (await res.json()) as { photos: Array<{ photoId: string; warning?: Warning }> };
  return Object.fromEntries(photos.map((p) => [p.photoId, p.warning ?? null]));
}

async function deletePhotoViaApi(studentId: string, photoId: string) {
  const { DELETE } = await import('@/app/api/students/[studentId]/photos/[photoId]/route');
  const req = new Request(`http://test/api/students/${studentId}/photos/${photoId}`, {
    method: 'DELETE',
    headers: { origin: 'http://test' },
  });
  const res = await (DELETE as Handler)(req, { params: Promise.resolve({ studentId, photoId }) });
  expect(res.status).toBe(204);
}

describe.skipIf(!hasFaces)('the photo consistency flag on real faces', () => {
  it('flags the one photo of someone else among three of the student, in the answer and the list; the photo is kept', async () => {
    const student = await makeStudent({ name: 'Al Gore' });
    const results = await upload(student.studentId, [photo(GORE, 1), photo(GORE, 2), photo(POWELL, 1), photo(GORE, 3)]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const flagged = results.filter((r) => r.warning);
    expect(flagged.map((r) => r.filename)).toEqual(['Colin_Powell_0001.jpg']);
    const warning = flagged[0]!.warning!;
    expect(warning.code).toBe('unlike-other-photos');
    expect(warning.similarity).toBeLessThan(0.25);
    expect(warning.message).toMatch(
      /^This photo does not look like the student's other photos \(similarity -?0\.\d\d\)\. Check that it shows Al Gore, facing the camera; delete it if not\.$/,
    );

    // The list says the same, and the odd photo was stored all the same.
    const odd = flagged[0]!.photoId!;
    const list = await listed(student.studentId);
    expect(Object.keys(list)).toHaveLength(4);
    expect(Object.entries(list).flatMap(([id, w]) => (w ? [[id, w.code]] : []))).toEqual([
      [odd, 'unlike-other-photos'],
    ]);
    expect(list[odd]!.message).toBe(warning.message);

    // Deleting it leaves three photos that agree: nothing is flagged any more.
    await deletePhotoViaApi(student.studentId, odd);
    expect(Object.values(await listed(student.studentId))).toEqual([null, null, null]);
  });

  it('flags nothing among four photos of the same person', async () => {
    const student = await makeStudent({ name: 'Al Gore' });
    const results = await upload(
      student.studentId,
      [1, 2, 3, 4].map((n) => photo(GORE, n)),
    );
    expect(results.map((r) => [r.status, r.warning ?? null])).toEqual(Array(4).fill(['accepted', null]));
    expect(Object.values(await listed(student.studentId))).toEqual([null, null, null, null]);
  });

  it('says nothing about a first photo, and "these two do not look like the same person" about a pair that disagrees', async () => {
    const student = await makeStudent({ name: 'Al Gore' });
    const [first] = await upload(student.studentId, [photo(GORE, 1)]);
    expect(first).toMatchObject({ status: 'accepted' });
    expect(first!.warning).toBeUndefined();

    const [second] = await upload(student.studentId, [photo(POWELL, 1)]);
    expect(second!.warning).toMatchObject({ code: 'unlike-other-photo', otherPhotoId: first!.photoId });
    expect(second!.warning!.message).toMatch(
      /^These two photos don't look like the same person \(similarity -?0\.\d\d\)\. Check that both show Al Gore/,
    );
    // With two you cannot tell which is wrong: both are flagged in the list, each naming the other.
    const list = await listed(student.studentId);
    expect(list[first!.photoId!]).toMatchObject({ code: 'unlike-other-photo', otherPhotoId: second!.photoId });
    expect(list[second!.photoId!]).toMatchObject({ code: 'unlike-other-photo', otherPhotoId: first!.photoId });

    await deletePhotoViaApi(student.studentId, second!.photoId!);
    expect(await listed(student.studentId)).toEqual({ [first!.photoId!]: null });
  });

  it('answers in the caller language', async () => {
    const student = await makeStudent({ name: 'Al Gore' });
    await upload(student.studentId, [photo(GORE, 1), photo(GORE, 2)]);
    const form = new FormData();
    form.append('photos', new File([new Uint8Array(await photo(POWELL, 1).bytes())], 'p.jpg'));
    const req = new Request('http://test/api/x', {
      method: 'POST',
      headers: { origin: 'http://test', cookie: 'lang=id' },
      body: form,
    });
    const res = await (await photosRoute())(req, { params: Promise.resolve({ studentId: student.studentId }) });
    const { results } = (await res.json()) as { results: Result[] };
    expect(results[0]!.warning!.message).toMatch(/^Foto ini tidak mirip dengan foto lain mahasiswa ini/);
  });
});

describe.skipIf(!hasFaces)('the photo consistency flag in a roster import', () => {
  let engine: FaceEngine;
  beforeAll(async () => {
    engine = await FaceEngine.load({ matcher: 'embedding' });
  }, 120_000);

  it("names the odd photo in the row's result and its CSV, and still enrols it", async () => {
    const student = await makeStudent({ name: 'Al Gore', studentNumber: 'C-1' });
    const photos = [photo(GORE, 1), photo(GORE, 2), photo(POWELL, 1), photo(GORE, 3)].map((p, i) => ({
      name: `C-1_${i + 1}.jpg`,
      path: p.file,
      read: p.bytes,
    }));
    const entry = {
      label: 'C-1',
      resolve: async () => ({ studentId: student.studentId, name: student.name, change: 'unchanged' as const }),
      courseIds: [],
      photos,
    };
    const plan: RosterPlan = {
      preview: {
        rows: [
          {
            line: 2,
            studentNumber: 'C-1',
            name: 'Al Gore',
            email: '',
            courses: [],
            photos: photos.map((p) => p.name),
            existing: true,
            problems: [],
            noPhoto: false,
          },
        ],
        files: [],
        summary: { rows: 1, toImport: 1, skipped: 0, photos: 4 },
      },
      entries: [{ line: 2, entry }],
    };
    const result = await runRosterImport(plan, { engine, storage: getStorage(), actorUserId: null });
    expect(result.rows[0]).toMatchObject({ photosAdded: 4, rejected: [] });
    expect(result.rows[0]!.warnings).toEqual([
      {
        file: 'C-1_3.jpg',
        warning: expect.stringMatching(/^This photo does not look like the student's other photos/),
      },
    ]);
    expect(rosterResultCsv(result)).toContain("C-1_3.jpg: This photo does not look like the student's other photos");
    expect(await listPhotosForStudent(student.studentId)).toHaveLength(4);
  });
});
