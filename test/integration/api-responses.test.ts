/**
 * The API document cannot drift from what the routes answer: each GET route (and the timetable
 * preview, which answers clashes) is called as its caller would, over a database where every list it
 * answers has rows, and the real answer must pass the response schema the route declares. The role
 * matrix checks every route's successful answers the same way, but over mostly empty lists.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { API_ROUTES } from '@/app/api/route-list';
import { getDb } from '@/db/client';
import { unknownFaces, type SessionRole } from '@/db/schema';
import type { DeclaredHandler } from '@/lib/dashboard/route-declaration';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { fileDispute } from '@/lib/data/disputes';
import { insertPhotoWithTemplate } from '@/lib/data/face-photos';
import { createNotificationRoute } from '@/lib/data/notification-routes';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { heartbeatWorker } from '@/lib/data/workers';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { expectDeclaredAnswer } from './declared-answer';
import { useThrowawayDatabase } from './throwaway-db';

type Caller = { id: string; role: SessionRole; email: string };
let signedIn: Caller | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

const ids: Record<string, string> = {};
let admin: Caller;
let student: Caller;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const a = await makeUser({ role: 'admin' });
  const lecturer = await makeUser({ role: 'lecturer' });
  admin = { id: a.userId, role: 'admin', email: a.email };
  const camera = await makeCamera();
  const course = await makeCourse({ lecturerId: lecturer.userId });
  const s = await makeStudent({ email: `s-${randomUUID().slice(0, 6)}@example.edu` });
  student = { id: s.studentId, role: 'student', email: s.email! };
  await enrollStudent(course.courseId, s.studentId);
  const session = await makeSession({ courseId: course.courseId });
  Object.assign(ids, { courseId: course.courseId, studentId: s.studentId, sessionId: session.sessionId });

  await recordAttendance({ sessionId: session.sessionId, studentId: s.studentId, seenAt: new Date(), confidence: 0.9 });
  await fileDispute({ studentId: s.studentId, sessionId: session.sessionId, kind: 'was_there', text: 'I was there' });
  const unknownId = await insertUnknownFace({
    sessionId: session.sessionId,
    cameraId: camera.cameraId,
    storageKey: `unknown-faces/responses/${randomUUID()}.jpg`,
    embedding: Buffer.alloc(16),
    model: 'm|v',
    seenAt: new Date(),
  });
  // A lecturer's "this is <student>" left for an admin to approve.
  await getDb()
    .update(unknownFaces)
    .set({ reviewed: true, studentId: s.studentId, reviewedBy: lecturer.userId, suggestion: 'pending' })
    .where(eq(unknownFaces.unknownId, unknownId));
  const photoId = randomUUID();
  await insertPhotoWithTemplate(
    {
      photoId,
      studentId: s.studentId,
      storageKey: `photos/${s.studentId}/${photoId}.jpg`,
      contentSha256: photoId.replace(/-/g, '').padEnd(64, '0'),
      quality: { sharpness: 0.8 },
      accepted: true,
      reason: null,
    },
    null,
  );
  await createNotificationRoute(
    { courseId: course.courseId },
    { channel: 'slack', target: 'https://hooks.slack.com/services/T0/B0/x' },
    null,
  );
  await heartbeatWorker({
    workerId: 'w-responses',
    internalUrl: 'http://127.0.0.1:9',
    capacity: 4,
    startedAt: new Date(),
  });
  // A weekly timetable, through its own route.
  signedIn = admin;
  const created = await call('POST', '/api/courses/{courseId}/timetables', { courseId: course.courseId }, '', {
    weekdays: ['mon'],
    startTime: '09:00',
    endTime: '10:00',
    fromDate: '2031-01-06',
    toDate: '2031-01-13',
    timeZone: 'UTC',
  });
  expect(created.status).toBe(201);
});

async function call(method: string, path: string, params: Record<string, string>, query = '', body?: unknown) {
  const handler = API_ROUTES[path]?.[method] as DeclaredHandler;
  const init: RequestInit = { method, headers: { origin: 'http://test', 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return handler(new Request(`http://test${path}${query}`, init), { params: Promise.resolve(params) });
}

/** Calls the route and checks its answer against its declaration; gives the body for more checks. */
async function answer(method: string, path: string, params: Record<string, string> = {}, query = '', body?: unknown) {
  const res = await call(method, path, params, query, body);
  await expectDeclaredAnswer(`${method} ${path}`, (API_ROUTES[path]![method] as DeclaredHandler).declaration, res);
  return (await res.json()) as Record<string, unknown>;
}

const rows = (v: unknown) => (v as unknown[]).length;

describe('API answers match their declared response schemas', () => {
  it('students, courses, sessions and their lists', async () => {
    signedIn = admin;
    const c = { courseId: ids.courseId! };
    const s = { sessionId: ids.sessionId! };
    expect(rows((await answer('GET', '/api/students')).rows)).toBeGreaterThan(0);
    const detail = await answer('GET', '/api/students/{studentId}', { studentId: ids.studentId! });
    expect([rows(detail.photos), rows(detail.history)]).toEqual([1, 1]);
    expect(rows((await answer('GET', '/api/courses')).courses)).toBeGreaterThan(0);
    await answer('GET', '/api/courses/{courseId}', c);
    expect(rows((await answer('GET', '/api/courses/{courseId}/enrollments', c)).students)).toBe(1);
    expect(rows((await answer('GET', '/api/courses/{courseId}/notifications', c)).routes)).toBe(1);
    expect(rows((await answer('GET', '/api/courses/{courseId}/timetables', c)).timetables)).toBe(1);
    expect(rows((await answer('GET', '/api/sessions')).sessions)).toBeGreaterThan(0);
    await answer('GET', '/api/sessions/{sessionId}', s);
    const attendance = await answer('GET', '/api/sessions/{sessionId}/attendance', s);
    expect([rows(attendance.roster), rows(attendance.attendance)]).toEqual([1, 1]);
    expect(rows((await answer('GET', '/api/sessions/{sessionId}/disputes', s)).disputes)).toBe(1);
    const unknown = (await answer('GET', '/api/sessions/{sessionId}/unknown', s)).unknownFaces as object[];
    expect(unknown).toHaveLength(1);
    // Where the image is stored is the server's business: the image has its own route.
    expect(unknown[0]).not.toHaveProperty('storageKey');
    await answer('GET', '/api/sessions/{sessionId}/mood', s);
  });

  it('a timetable preview with a clash', async () => {
    signedIn = admin;
    const preview = await answer(
      'POST',
      '/api/courses/{courseId}/timetables/preview',
      { courseId: ids.courseId! },
      '',
      {
        weekdays: ['mon'],
        startTime: '09:30',
        endTime: '10:30',
        fromDate: '2031-01-06',
        toDate: '2031-01-06',
        timeZone: 'UTC',
      },
    );
    expect(rows(preview.clashes)).toBe(1);
  });

  it('reports, review, cameras, users and the audit log', async () => {
    signedIn = admin;
    const report = await answer('GET', '/api/reports', {}, `?from=${today}&to=${today}`);
    expect([rows(report.courses), rows(report.students)]).toEqual([1, 1]);
    const matrix = await answer(
      'GET',
      '/api/reports/matrix',
      {},
      `?courseId=${ids.courseId}&from=${today}&to=${today}`,
    );
    expect([rows(matrix.sessions), rows(matrix.students)]).toEqual([1, 1]);
    expect(rows((await answer('GET', '/api/unknown-faces/suggestions')).suggestions)).toBe(1);
    const cameras = await answer('GET', '/api/cameras');
    expect([rows(cameras.cameras), rows(cameras.workers)]).toEqual([1, 1]);
    expect(rows((await answer('GET', '/api/users')).users)).toBe(2);
    expect(rows((await answer('GET', '/api/audit')).rows)).toBeGreaterThan(0);
  });

  it("the student's own page, the probes and the API document", async () => {
    signedIn = student;
    const me = await answer('GET', '/api/me');
    expect(rows((me.courses as { sessions: unknown[] }[])[0]!.sessions)).toBe(1);
    signedIn = null;
    await answer('GET', '/api/health');
    await answer('GET', '/api/ready');
    await answer('GET', '/api/openapi.json');
  });
});
