/**
 * The audit log as the admin reads it: names instead of ids, filters by who / what / when done in
 * SQL with paging, through lib/data and GET /api/audit. Sign-in attempts are audited by the real
 * sign-in route: test/integration/sign-in-limit.test.ts.
 */
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { writeAudit } from '@/lib/data/audit';
import { auditFilterOptions, listAuditLog } from '@/lib/data/audit-log';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

const db = useThrowawayDatabase();
let pool: Pool | undefined;
const q = async (sql: string, params: unknown[]) =>
  (pool ??= createPool({ uri: db.url(), connectionLimit: 2 })).query(sql, params);
afterAll(async () => {
  await pool?.end();
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/** An audit row written now and then moved to `day` (local noon). */
async function auditOn(day: string, input: Parameters<typeof writeAudit>[0]): Promise<string> {
  const id = await writeAudit(input);
  await q('UPDATE audit_log SET created_at = ? WHERE audit_id = ?', [new Date(`${day}T12:00:00`), id]);
  return id;
}

describe('listAuditLog', () => {
  const ids: Record<string, string> = {};
  let alice: Awaited<ReturnType<typeof makeUser>>;
  let bob: Awaited<ReturnType<typeof makeUser>>;

  beforeAll(async () => {
    alice = await makeUser({ name: 'Alice Admin', role: 'admin' });
    bob = await makeUser({ name: 'Bob Lecturer' });
    const student = await makeStudent({ name: 'Siti Rahma' });
    const course = await makeCourse({ code: 'AUD101', lecturerId: bob.userId });
    const camera = await makeCamera({ name: 'cam-audit' });
    const session = await makeSession({ courseId: course.courseId, startsAt: new Date('2025-03-03T09:00:00Z') });
    Object.assign(ids, {
      student: student.studentId,
      course: course.courseId,
      camera: camera.cameraId,
      session: session.sessionId,
    });
    await auditOn('2025-03-01', {
      actorUserId: alice.userId,
      action: 'student.create',
      entity: 'students',
      entityId: student.studentId,
      details: { name: 'Siti Rahma' },
    });
    await auditOn('2025-03-02', {
      actorUserId: alice.userId,
      action: 'course.update',
      entity: 'courses',
      entityId: course.courseId,
      details: { lecturerId: bob.userId },
    });
    await auditOn('2025-03-03', {
      actorUserId: bob.userId,
      action: 'attendance.manual_mark',
      entity: 'class_sessions',
      entityId: session.sessionId,
      details: { sessionId: session.sessionId, studentId: student.studentId, status: 'present', reason: 'seen' },
    });
    await auditOn('2025-03-04', {
      actorUserId: alice.userId,
      action: 'camera.update',
      entity: 'cameras',
      entityId: camera.cameraId,
      details: { room: 'B2' },
    });
    await auditOn('2025-03-05', {
      actorUserId: null,
      action: 'student.delete_biometrics',
      entity: 'student',
      entityId: student.studentId,
      details: { photos: 0 },
    });
    const gone = crypto.randomUUID();
    await auditOn('2025-03-06', {
      actorUserId: alice.userId,
      action: 'student.delete',
      entity: 'student',
      entityId: gone,
      details: { name: 'Deleted Person', studentNumber: 'D-1' },
    });
  });

  it('shows names, not ids: actor, student, course code, camera, session course, and ids inside details', async () => {
    const page = await listAuditLog({ from: '2025-03-01', to: '2025-03-06' });
    const byAction = Object.fromEntries(page.rows.map((r) => [r.action, r]));
    expect(byAction['student.create']).toMatchObject({
      actorName: 'Alice Admin',
      actorEmail: alice.email,
      subject: {
        kind: 'student',
        label: expect.stringMatching(/^Siti Rahma \(T\w+\)$/),
        href: `/students/${ids.student}`,
        deleted: false,
      },
    });
    expect(byAction['course.update']!.subject).toMatchObject({
      kind: 'course',
      label: 'AUD101',
      href: `/courses/${ids.course}`,
    });
    expect(byAction['camera.update']!.subject).toMatchObject({ kind: 'camera', label: 'cam-audit' });
    expect(byAction['attendance.manual_mark']!.subject).toMatchObject({
      kind: 'session',
      label: 'AUD101',
      at: new Date('2025-03-03T09:00:00Z'),
    });
    expect(byAction['student.delete']!.subject).toEqual({
      kind: 'student',
      label: 'Deleted Person (D-1)',
      href: null,
      deleted: true,
    });
    expect(byAction['student.delete_biometrics']).toMatchObject({ actorName: null, actorEmail: null });
    expect(page.names[ids.student!]).toMatch(/^Siti Rahma/);
    expect(page.names[bob.userId]).toBe(`Bob Lecturer <${bob.email}>`);
  });

  it('filters by who (a user, or the system), what and when, on the server, with paging', async () => {
    const inRange = { from: '2025-03-01', to: '2025-03-06' };
    expect((await listAuditLog({ ...inRange, actor: bob.userId })).rows.map((r) => r.action)).toEqual([
      'attendance.manual_mark',
    ]);
    expect((await listAuditLog({ ...inRange, actor: 'system' })).rows.map((r) => r.action)).toEqual([
      'student.delete_biometrics',
    ]);
    expect((await listAuditLog({ ...inRange, action: 'course.update' })).total).toBe(1);
    const days = await listAuditLog({ from: '2025-03-02', to: '2025-03-04' });
    expect(days.rows.map((r) => r.action)).toEqual(['camera.update', 'attendance.manual_mark', 'course.update']);
    const alicePage2 = await listAuditLog({ ...inRange, actor: alice.userId, pageSize: 2, page: 2 });
    expect(alicePage2).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(alicePage2.rows.map((r) => r.action)).toEqual(['course.update', 'student.create']);
    const options = await auditFilterOptions();
    expect(options.actions).toEqual(expect.arrayContaining(['student.create', 'camera.update', 'student.delete']));
    expect(options.actors.map((a) => a.name)).toEqual(expect.arrayContaining(['Alice Admin', 'Bob Lecturer']));
  });

  it('GET /api/audit takes the same filters; a bad date is a field sentence', async () => {
    signedIn = { id: alice.userId, role: 'admin', email: alice.email };
    const { GET } = (await import('@/app/api/audit/route')) as unknown as { GET: Handler };
    const res = await GET(
      new Request(`http://test/api/audit?actor=${bob.userId}&from=2025-03-01&to=2025-03-31&action=`),
      { params: Promise.resolve({}) },
    );
    const body = await res.json();
    expect(body.rows.map((r: { action: string; subject: { label: string } }) => [r.action, r.subject.label])).toEqual([
      ['attendance.manual_mark', 'AUD101'],
    ]);
    const bad = await GET(new Request('http://test/api/audit?from=yesterday'), { params: Promise.resolve({}) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual({ from: 'Enter a date as YYYY-MM-DD.' });
  });
});
