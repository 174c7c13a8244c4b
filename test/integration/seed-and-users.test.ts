import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, seed } from '@/db/seed';
import { listAuditFor, writeAudit } from '@/lib/data/audit';
import { findSessionForCamera } from '@/lib/data/sessions';
import { verifyCredentials } from '@/lib/data/users';
import { makeCamera, makeSession, makeUser } from '../factories';
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
