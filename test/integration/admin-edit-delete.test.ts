/**
 * Editing and deleting students, courses and cameras, and unenrolling, through the real API routes
 * (route wrapper, role checks, zod, error mapping) against MariaDB and local-disk storage; only
 * next-auth's cookie reading is replaced. Checks the delete rules, the error `fields` shape and the
 * audit rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { recordAttendance } from '@/lib/data/attendances';
import { listAuditFor } from '@/lib/data/audit';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { enrollStudent, listEnrolledStudents } from '@/lib/data/courses';
import { insertPhotoWithTemplate, listPhotosForStudent } from '@/lib/data/face-photos';
import { getSession } from '@/lib/data/sessions';
import { getStudent, listCoursesOfStudent } from '@/lib/data/students';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { getStorage } from '@/lib/storage';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'admin-edit-'));
process.env.DATA_DIR = dataDir;

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

const db = useThrowawayDatabase();
let pool: Pool | undefined;
/** Plain SQL to look at rows the API has no reader for. */
const q = async (sql: string, params: unknown[]) =>
  (await (pool ??= createPool({ uri: db.url(), connectionLimit: 2 })).query(sql, params))[0] as Record<
    string,
    unknown
  >[];
afterAll(async () => {
  await pool?.end();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A response body: the error shape, or any JSON result. */
type Json = {
  error: { code: string; message: string; fields?: Record<string, string>; details?: Record<string, unknown> };
  summary?: string;
} & Record<string, unknown>;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes = {
  students: () => import('@/app/api/students/route'),
  student: () => import('@/app/api/students/[studentId]/route'),
  course: () => import('@/app/api/courses/[courseId]/route'),
  enrollments: () => import('@/app/api/courses/[courseId]/enrollments/route'),
  enrollment: () => import('@/app/api/courses/[courseId]/enrollments/[studentId]/route'),
  camera: () => import('@/app/api/cameras/[cameraId]/route'),
};

async function call(
  route: keyof typeof routes,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  opts: { params?: Record<string, string>; body?: unknown; query?: string; lang?: 'en' | 'id' } = {},
): Promise<{ status: number; json: Json }> {
  const handler = (await routes[route]())[method as never] as unknown as Handler;
  const headers: Record<string, string> = { origin: 'http://test' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.lang) headers.cookie = `lang=${opts.lang}`;
  const req = new Request(`http://test/api/x${opts.query ?? ''}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

let admin: { id: string; role: UserRole; email: string };
beforeAll(async () => {
  const u = await makeUser({ role: 'admin' });
  admin = { id: u.userId, role: 'admin', email: u.email };
  signedIn = admin;
});

/** Photo + template rows, the photo file, and unknown-face crops attributed to / recognised as the student. */
async function giveBiometrics(studentId: string) {
  const storage = getStorage();
  const photoId = crypto.randomUUID();
  const storageKey = `photos/${studentId}/${photoId}.jpg`;
  await storage.put(storageKey, Buffer.from('jpeg bytes'), 'image/jpeg');
  await insertPhotoWithTemplate(
    {
      photoId,
      studentId,
      storageKey,
      contentSha256: photoId.replace(/-/g, '').padEnd(64, '0'),
      quality: null,
      accepted: true,
      reason: null,
    },
    { model: 'm', modelVersion: 'v', dims: 4, embedding: Buffer.alloc(16) },
  );
  const attributed = `unknown-faces/t/${crypto.randomUUID()}.jpg`;
  const spoof = `unknown-faces/t/${crypto.randomUUID()}.jpg`;
  await storage.put(attributed, Buffer.from('crop'), 'image/jpeg');
  await storage.put(spoof, Buffer.from('crop'), 'image/jpeg');
  const a = await insertUnknownFace({
    sessionId: null,
    cameraId: null,
    storageKey: attributed,
    embedding: Buffer.alloc(16),
    model: 'm|v',
    seenAt: new Date(),
  });
  await q('UPDATE unknown_faces SET student_id = ? WHERE unknown_id = ?', [studentId, a]);
  await insertUnknownFace({
    sessionId: null,
    cameraId: null,
    storageKey: spoof,
    embedding: Buffer.alloc(16),
    model: 'm|v',
    seenAt: new Date(),
    kind: 'suspected_spoof',
    matchedStudentId: studentId,
  });
  return { storage, keys: [storageKey, attributed, spoof] };
}

describe('form errors: a sentence per field', () => {
  it('a duplicate student number is a 409 naming the number at `fields.studentNumber`, in English or Indonesian', async () => {
    await makeStudent({ studentNumber: 'S1001' });
    const en = await call('students', 'POST', { body: { name: 'Second', studentNumber: 'S1001' } });
    expect(en.status).toBe(409);
    expect(en.json.error).toMatchObject({
      code: 'CONFLICT',
      message: 'A student with number S1001 already exists.',
      fields: { studentNumber: 'A student with number S1001 already exists.' },
    });
    const id = await call('students', 'POST', { body: { name: 'Second', studentNumber: 'S1001' }, lang: 'id' });
    expect(id.json.error.fields).toEqual({ studentNumber: 'Mahasiswa dengan NIM S1001 sudah ada.' });
    expect(JSON.stringify([en.json, id.json])).not.toMatch(/_unique|Duplicate (value|entry)/);
  });

  it('a missing name is a 400 with `fields.name`, not zod wording', async () => {
    const res = await call('students', 'POST', { body: { studentNumber: 'S9' } });
    expect(res.status).toBe(400);
    expect(res.json.error).toEqual({
      code: 'VALIDATION',
      message: 'Check these fields: name.',
      fields: { name: 'Fill in this field.' },
    });
  });

  it('editing a student: changes are saved and audited, null clears, a taken number is refused at the field', async () => {
    const s = await makeStudent({ email: 'old@uni.example' });
    await makeStudent({ studentNumber: 'TAKEN-1' });
    const ok = await call('student', 'PATCH', {
      params: { studentId: s.studentId },
      body: { name: 'Renamed Person', email: null },
    });
    expect(ok.status).toBe(200);
    expect(await getStudent(s.studentId)).toMatchObject({
      name: 'Renamed Person',
      email: null,
      studentNumber: s.studentNumber,
    });
    expect((await listAuditFor('student', s.studentId)).map((a) => a.action)).toContain('student.update');
    const taken = await call('student', 'PATCH', {
      params: { studentId: s.studentId },
      body: { studentNumber: 'TAKEN-1' },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.fields).toEqual({ studentNumber: 'A student with number TAKEN-1 already exists.' });
    const missing = await call('student', 'PATCH', { params: { studentId: crypto.randomUUID() }, body: { name: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('This student does not exist (it may have been deleted).');
  });

  it('editing a course: a code in use is refused at `fields.code`; an unknown lecturer at `fields.lecturerId`', async () => {
    const [a, b] = [await makeCourse(), await makeCourse()];
    const dup = await call('course', 'PATCH', { params: { courseId: a.courseId }, body: { code: b.code } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.fields).toEqual({ code: `A course with code ${b.code} already exists.` });
    const lecturer = await call('course', 'PATCH', {
      params: { courseId: a.courseId },
      body: { lecturerId: crypto.randomUUID() },
      lang: 'id',
    });
    expect(lecturer.status).toBe(400);
    expect(lecturer.json.error.fields).toEqual({ lecturerId: 'Pengguna itu tidak ada; pilih dosen lain.' });
    const renamed = await call('course', 'PATCH', {
      params: { courseId: a.courseId },
      body: { code: `${a.code}-X`, courseName: 'New name', room: null },
    });
    expect(renamed.json).toMatchObject({ code: `${a.code}-X`, courseName: 'New name', room: null });
  });

  it('bulk enrolment answers with a sentence next to the counts', async () => {
    const course = await makeCourse();
    const s = await makeStudent();
    const res = await call('enrollments', 'POST', {
      params: { courseId: course.courseId },
      body: { students: [s.studentNumber, 'NO-SUCH'] },
    });
    expect(res.json).toMatchObject({
      added: 1,
      alreadyEnrolled: 0,
      notFound: ['NO-SUCH'],
      summary: '1 student(s) added, 0 already enrolled. No student has this number: NO-SUCH.',
    });
    const id = await call('enrollments', 'POST', {
      params: { courseId: course.courseId },
      body: { students: [s.studentNumber!] },
      lang: 'id',
    });
    expect(id.json.summary).toBe('0 mahasiswa ditambahkan, 1 sudah terdaftar.');
  });
});

describe('deleting a student', () => {
  it('without attendance: erases photos, templates, matched unknown faces and their files, enrolments, then the student; audited with the name', async () => {
    const s = await makeStudent({ name: 'Gone Student' });
    const course = await makeCourse();
    await enrollStudent(course.courseId, s.studentId);
    const { storage, keys } = await giveBiometrics(s.studentId);
    const res = await call('student', 'DELETE', { params: { studentId: s.studentId } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      studentId: s.studentId,
      photos: 1,
      templates: 1,
      unknownFaces: 2,
      files: 3,
      attendances: 0,
      enrollments: 1,
    });
    expect(await getStudent(s.studentId)).toBeUndefined();
    expect(await listPhotosForStudent(s.studentId)).toEqual([]);
    const [[templates], [unknown]] = await Promise.all([
      q('SELECT count(*) AS n FROM face_templates WHERE student_id = ?', [s.studentId]),
      q(
        'SELECT count(*) AS n FROM unknown_faces WHERE student_id = ? OR matched_student_id = ? OR storage_key IN (?)',
        [s.studentId, s.studentId, keys],
      ),
    ]);
    expect([templates, unknown]).toEqual([{ n: 0 }, { n: 0 }]);
    for (const key of keys) expect(await storage.get(key)).toBeNull();
    expect(await listEnrolledStudents(course.courseId)).toEqual([]);
    const [audit] = await listAuditFor('student', s.studentId);
    expect(audit).toMatchObject({
      action: 'student.delete',
      actorUserId: admin.id,
      details: { name: 'Gone Student', studentNumber: s.studentNumber, photos: 1, attendances: 0 },
    });
  });

  it('with attendance: 409 with the count and what to do, nothing erased; with cascade=true the attendance goes too and other students keep theirs', async () => {
    const session = await makeSession();
    const [s, other] = [await makeStudent({ name: 'Has History' }), await makeStudent()];
    await recordAttendance({ sessionId: session.sessionId, studentId: s.studentId, seenAt: new Date() });
    await recordAttendance({ sessionId: session.sessionId, studentId: other.studentId, seenAt: new Date() });
    const { storage, keys } = await giveBiometrics(s.studentId);

    const refused = await call('student', 'DELETE', { params: { studentId: s.studentId } });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'CONFLICT', details: { attendances: 1, cascade: true } });
    expect(refused.json.error.message).toMatch(
      /^Has History has 1 attendance record\(s\)\. .*Delete all biometric data.*cascade=true/,
    );
    expect(await getStudent(s.studentId)).toBeDefined();
    expect(await listPhotosForStudent(s.studentId)).toHaveLength(1);
    expect(await storage.get(keys[0]!)).not.toBeNull();

    const deleted = await call('student', 'DELETE', { params: { studentId: s.studentId }, query: '?cascade=true' });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ attendances: 1, photos: 1 });
    const rows = await q('SELECT student_id AS studentId FROM attendances WHERE session_id = ?', [session.sessionId]);
    expect(rows).toEqual([{ studentId: other.studentId }]);
  });

  it('is admin-only and a bad cascade value is a field error', async () => {
    const s = await makeStudent();
    const lecturer = await makeUser();
    signedIn = { id: lecturer.userId, role: 'lecturer', email: lecturer.email };
    try {
      expect((await call('student', 'DELETE', { params: { studentId: s.studentId } })).status).toBe(403);
    } finally {
      signedIn = admin;
    }
    const bad = await call('student', 'DELETE', { params: { studentId: s.studentId }, query: '?cascade=yes' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual({ cascade: 'Choose one of: true, false.' });
  });
});

describe('deleting a course', () => {
  it('without sessions: deleted, enrolments gone, audited with its code', async () => {
    const course = await makeCourse();
    const s = await makeStudent();
    await enrollStudent(course.courseId, s.studentId);
    const res = await call('course', 'DELETE', { params: { courseId: course.courseId } });
    expect(res.status).toBe(200);
    expect(await listCoursesOfStudent(s.studentId)).toEqual([]);
    const [audit] = await listAuditFor('courses', course.courseId);
    expect(audit).toMatchObject({
      action: 'course.delete',
      details: { code: course.code, sessions: 0, attendances: 0 },
    });
  });

  it('with sessions: 409 with the counts; cascade=true deletes its sessions and their attendance, nothing else', async () => {
    const [course, keep] = [await makeCourse(), await makeCourse()];
    const [session, kept] = [
      await makeSession({ courseId: course.courseId }),
      await makeSession({ courseId: keep.courseId }),
    ];
    const s = await makeStudent();
    await recordAttendance({ sessionId: session.sessionId, studentId: s.studentId, seenAt: new Date() });
    await recordAttendance({ sessionId: kept.sessionId, studentId: s.studentId, seenAt: new Date() });
    const refused = await call('course', 'DELETE', { params: { courseId: course.courseId }, lang: 'id' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ details: { sessions: 1, attendances: 1, cascade: true } });
    expect(refused.json.error.message).toMatch(
      new RegExp(`^${course.code} memiliki 1 pertemuan dengan 1 catatan kehadiran`),
    );
    expect(await getSession(session.sessionId)).toBeDefined();

    expect(
      (await call('course', 'DELETE', { params: { courseId: course.courseId }, query: '?cascade=true' })).status,
    ).toBe(200);
    expect(await getSession(session.sessionId)).toBeUndefined();
    const rows = await q('SELECT session_id AS sessionId FROM attendances WHERE student_id = ?', [s.studentId]);
    expect(rows).toEqual([{ sessionId: kept.sessionId }]);
    expect((await call('course', 'DELETE', { params: { courseId: course.courseId } })).status).toBe(404);
  });
});

describe('deleting a camera', () => {
  it('keeps past sessions and attendance; refuses while upcoming sessions use it unless cascade=true, which leaves them without a camera', async () => {
    const camera = await makeCamera();
    const past = await makeSession({
      cameraId: camera.cameraId,
      startsAt: new Date(Date.now() - 3 * 86_400_000),
      status: 'closed',
    });
    const upcoming = await makeSession({ cameraId: camera.cameraId, startsAt: new Date(Date.now() + 86_400_000) });
    const s = await makeStudent();
    await recordAttendance({
      sessionId: past.sessionId,
      studentId: s.studentId,
      seenAt: past.startsAt,
      cameraId: camera.cameraId,
    });

    const refused = await call('camera', 'DELETE', { params: { cameraId: camera.cameraId } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toBe(
      `${camera.name} is assigned to 1 upcoming or running session(s). Give them another camera first, or confirm (cascade=true): those sessions then have no camera and record no attendance until one is assigned.`,
    );
    expect(await getCameraOrThrow(camera.cameraId)).toBeDefined();

    const deleted = await call('camera', 'DELETE', { params: { cameraId: camera.cameraId }, query: '?cascade=true' });
    expect(deleted).toMatchObject({ status: 200, json: { cameraId: camera.cameraId, upcomingSessions: 1 } });
    await expect(getCameraOrThrow(camera.cameraId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await getSession(past.sessionId)).toMatchObject({ cameraId: null });
    expect(await getSession(upcoming.sessionId)).toMatchObject({ cameraId: null });
    const rows = await q('SELECT camera_id AS cameraId FROM attendances WHERE session_id = ?', [past.sessionId]);
    expect(rows).toEqual([{ cameraId: null }]);
    expect((await listAuditFor('cameras', camera.cameraId))[0]).toMatchObject({
      action: 'camera.delete',
      details: { name: camera.name, upcomingSessions: 1 },
    });
  });

  it('a camera only past sessions used is deleted at once; renaming to a taken name is refused at `fields.name`', async () => {
    const [a, b] = [await makeCamera(), await makeCamera()];
    const taken = await call('camera', 'PATCH', { params: { cameraId: a.cameraId }, body: { name: b.name } });
    expect(taken.status).toBe(409);
    expect(taken.json.error.fields).toEqual({ name: `A camera named ${b.name} already exists.` });
    await makeSession({ cameraId: a.cameraId, startsAt: new Date(Date.now() - 86_400_000) });
    expect((await call('camera', 'DELETE', { params: { cameraId: a.cameraId } })).status).toBe(200);
  });
});

describe('unenrolling', () => {
  it('removes the student from the course, keeps their attendance, is audited; a second time is a 404 sentence', async () => {
    const course = await makeCourse();
    const session = await makeSession({ courseId: course.courseId });
    const s = await makeStudent({ name: 'Leaving Student' });
    await enrollStudent(course.courseId, s.studentId);
    await recordAttendance({ sessionId: session.sessionId, studentId: s.studentId, seenAt: new Date() });
    const res = await call('enrollment', 'DELETE', { params: { courseId: course.courseId, studentId: s.studentId } });
    expect(res.status).toBe(204);
    expect(await listEnrolledStudents(course.courseId)).toEqual([]);
    const rows = await q('SELECT count(*) AS n FROM attendances WHERE student_id = ?', [s.studentId]);
    expect(rows).toEqual([{ n: 1 }]);
    expect((await listAuditFor('courses', course.courseId))[0]).toMatchObject({
      action: 'course.unenroll',
      details: { studentId: s.studentId, name: 'Leaving Student' },
    });
    const again = await call('enrollment', 'DELETE', { params: { courseId: course.courseId, studentId: s.studentId } });
    expect(again.status).toBe(404);
    expect(again.json.error.message).toBe(`Leaving Student is not enrolled in ${course.code}.`);
  });
});
