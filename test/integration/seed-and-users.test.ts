import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL, seed } from '@/db/seed';
import { enrollStudent } from '@/lib/data/courses';
import { removeDemoData } from '@/lib/enrollment/remove-demo';
import { listAuditFor, writeAudit } from '@/lib/data/audit';
import { findSessionForCamera } from '@/lib/data/sessions';
import { verifyCredentials } from '@/lib/data/users';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

const db = useThrowawayDatabase();

async function counts(): Promise<Record<string, number>> {
  const conn = await createConnection({ uri: db.url() });
  try {
    const out: Record<string, number> = {};
    for (const t of ['users', 'courses', 'students', 'course_enrollments', 'cameras', 'class_sessions']) {
      const [rows] = await conn.query(
        `SELECT COUNT(*) AS n, MAX(${t === 'course_enrollments' ? 'created_at' : 'updated_at'}) AS m FROM ${t}`,
      );
      const r = (rows as { n: number; m: unknown }[])[0]!;
      out[t] = Number(r.n);
      out[`${t}.latest`] = r.m instanceof Date ? r.m.getTime() : Number(r.m);
    }
    return out;
  } finally {
    await conn.end();
  }
}

describe('seed', () => {
  it('creates demo data once and changes nothing on a second run', async () => {
    const now = new Date();
    const first = await seed(now);
    expect(first.created).toEqual({ users: 2, courses: 2, students: 8, enrollments: 12, cameras: 1, sessions: 2 });
    expect(first.passwords.map((p) => p.email)).toContain(DEMO_ADMIN_EMAIL);
    const after = await counts();

    const second = await seed(now);
    expect(second.created).toEqual({ users: 0, courses: 0, students: 0, enrollments: 0, cameras: 0, sessions: 0 });
    expect(second.passwords).toEqual([]);
    expect(await counts()).toEqual(after);

    const admin = first.passwords.find((p) => p.email === DEMO_ADMIN_EMAIL)!;
    expect(await verifyCredentials(DEMO_ADMIN_EMAIL, admin.password)).toMatchObject({ role: 'admin' });
  });
});

describe('removing the demo', () => {
  it('removes exactly the demo rows: a real course, student, camera, session and user stay, even linked to demo ones', async () => {
    const conn = await createConnection({ uri: db.url() });
    const ids = async (table: string, col: string) =>
      ((await conn.query(`SELECT ${col} AS id FROM ${table}`))[0] as { id: string }[]).map((r) => r.id).sort();
    try {
      const demoCamera = (await ids('cameras', 'camera_id'))[0]!;
      const realCourse = await makeCourse({ code: 'CS101X', room: 'A101' });
      const realStudent = await makeStudent({ name: 'Real Student' });
      const realUser = await makeUser({ role: 'lecturer' });
      const realCamera = await makeCamera();
      // A real session on the demo camera keeps going without it.
      const realSession = await makeSession({ courseId: realCourse.courseId, cameraId: demoCamera });
      const [demoStudent] = (
        await conn.query(`SELECT student_id AS id FROM students WHERE student_number = 'S1001'`)
      )[0] as { id: string }[];
      await enrollStudent(realCourse.courseId, demoStudent!.id);
      await enrollStudent(realCourse.courseId, realStudent.studentId);

      const removed = await removeDemoData(null);
      expect(removed).toEqual({ users: 1, cameras: 1, courses: 2, students: 8, class_sessions: 2 });
      expect(await ids('courses', 'course_id')).toEqual([realCourse.courseId]);
      expect(await ids('students', 'student_id')).toEqual([realStudent.studentId]);
      expect(await ids('cameras', 'camera_id')).toEqual([realCamera.cameraId]);
      expect(await ids('class_sessions', 'session_id')).toEqual([realSession.sessionId]);
      const emails = ((await conn.query('SELECT email FROM users'))[0] as { email: string }[]).map((r) => r.email);
      expect(emails).toContain(DEMO_ADMIN_EMAIL); // the admin is not demo data
      expect(emails).toContain(realUser.email);
      expect(emails).not.toContain(DEMO_LECTURER_EMAIL);
      expect(await ids('demo_rows', 'row_id')).toEqual([]);
      expect(await removeDemoData(null)).toEqual({ users: 0, cameras: 0, courses: 0, students: 0, class_sessions: 0 });
    } finally {
      await conn.end();
    }
  });
});

describe('users and audit', () => {
  it('verifies passwords against bcrypt hashes, case-insensitively by email', async () => {
    const user = await makeUser({ email: 'Someone@Example.edu', password: 'right password' });
    expect(user.email).toBe('someone@example.edu');
    expect(user.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(await verifyCredentials('SOMEONE@example.edu', 'right password')).toMatchObject({ userId: user.userId });
    expect(await verifyCredentials('someone@example.edu', 'wrong')).toBeNull();
    expect(await verifyCredentials('nobody@example.edu', 'right password')).toBeNull();
  });

  it('stores audit details as JSON and reads them back as objects', async () => {
    const user = await makeUser();
    await writeAudit({
      actorUserId: user.userId,
      action: 'student.update',
      entity: 'students',
      entityId: 'abc',
      details: { name: ['A', 'B'] },
    });
    const [entry] = await listAuditFor('students', 'abc');
    expect(entry).toMatchObject({ actorUserId: user.userId, action: 'student.update', details: { name: ['A', 'B'] } });
  });
});

describe('findSessionForCamera', () => {
  it('finds the running session, allowing the early window', async () => {
    const camera = await makeCamera();
    const startsAt = new Date(Date.now() + 10 * 60_000);
    const session = await makeSession({ cameraId: camera.cameraId, startsAt });
    expect(await findSessionForCamera(camera.cameraId, new Date(), 15)).toMatchObject({ sessionId: session.sessionId });
    expect(await findSessionForCamera(camera.cameraId, new Date(), 5)).toBeUndefined();
  });
});
