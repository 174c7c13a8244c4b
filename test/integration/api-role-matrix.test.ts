/**
 * Every API route × anonymous / lecturer / other lecturer / admin / student, through the real route
 * wrapper, the real session → role checks and the real database; only next-auth's cookie reading is
 * replaced. Who may call what is read from the routes' own declarations (`route()`'s roles and
 * ownCourse, the same the API document shows), and every successful answer is checked against the
 * response the route declares. A student (signed in through campus SSO) gets 403 on every staff
 * route, and only the /api/me routes, which take no student id: no route lets them name another student.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { unknownFaces, type SessionRole } from '@/db/schema';
import { API_ROUTES } from '@/app/api/route-list';
import type { DeclaredHandler, RouteDeclaration } from '@/lib/dashboard/route-declaration';
import { declaredRoutes } from '@/lib/dashboard/openapi';
import { enrollStudent } from '@/lib/data/courses';
import { createNotificationRoute } from '@/lib/data/notification-routes';
import { recordAttendance } from '@/lib/data/attendances';
import { createTimetable } from '@/lib/data/timetables';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { fileDispute, listDisputesForSession, resolveDispute } from '@/lib/data/disputes';
import { requestErasure } from '@/lib/data/student-accounts';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { expectDeclaredAnswer } from './declared-answer';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: SessionRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Case {
  method: string;
  path: string;
  /** Fresh params/body per call (some calls delete or create rows). */
  prepare?: () => Promise<{ params?: Record<string, string>; body?: unknown; query?: string }>;
  /** Statuses that count as "allowed" besides 2xx (e.g. 400 for an upload without files). */
  alsoOk?: number[];
}

const ids: Record<string, string> = {};
const users: Record<'admin' | 'lecturer' | 'other' | 'student', { id: string; role: SessionRole; email: string }> =
  {} as never;
const uniq = () => Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  for (const [k, role] of [
    ['admin', 'admin'],
    ['lecturer', 'lecturer'],
    ['other', 'lecturer'],
  ] as const) {
    const u = await makeUser({ role });
    users[k] = { id: u.userId, role, email: u.email };
  }
  const course = await makeCourse({ lecturerId: users.lecturer.id });
  const student = await makeStudent();
  await enrollStudent(course.courseId, student.studentId);
  const session = await makeSession({ courseId: course.courseId });
  // The signed-in student is another enrolled student (the matrix's `studentId` is not theirs).
  const self = await makeStudent({ email: `self-${uniq()}@example.edu` });
  await enrollStudent(course.courseId, self.studentId);
  users.student = { id: self.studentId, role: 'student', email: self.email! };
  const camera = await makeCamera();
  Object.assign(ids, {
    courseId: course.courseId,
    studentId: student.studentId,
    sessionId: session.sessionId,
    cameraId: camera.cameraId,
    studentNumber: student.studentNumber!,
  });
});

/** The route's handler for the case, as the route list holds it. */
const handlerOf = (c: Case) => API_ROUTES[c.path]?.[c.method] as (Handler & Partial<DeclaredHandler>) | undefined;
const declarationOf = (c: Case): RouteDeclaration => {
  const declaration = handlerOf(c)?.declaration;
  if (!declaration) throw new Error(`${c.method} ${c.path} is not a declared route`);
  return declaration;
};
const s = () => ({ sessionId: ids.sessionId! });
const today = new Date().toISOString().slice(0, 10);
/** A fresh unknown face in the course's session (assigning one reviews it, so each call needs its own). */
const unknownFace = async () => ({
  unknownId: await insertUnknownFace({
    sessionId: ids.sessionId!,
    cameraId: ids.cameraId!,
    storageKey: `unknown-faces/matrix/${uniq()}.jpg`,
    embedding: Buffer.alloc(16),
    model: 'm|v',
    seenAt: new Date(),
  }),
});

/** A one-day timetable on its own future date (each call needs its own: two would clash in the course). */
let timetableDay = 0;
const timetableBody = () => {
  const date = new Date(Date.UTC(2030, 0, 7) + timetableDay++ * 7 * 86_400_000).toISOString().slice(0, 10); // Mondays from 2030-01-07
  return { weekdays: ['mon'], startTime: '09:00', endTime: '10:40', fromDate: date, toDate: date, timeZone: 'UTC' };
};
const timetableId = async () =>
  (
    await createTimetable(
      {
        ...timetableBody(),
        weekdays: ['mon'],
        exceptDates: [],
        courseId: ids.courseId!,
        cameraId: null,
        room: null,
        lateAfterMinutes: null,
      },
      null,
    )
  ).timetable.timetableId;

const CASES: Case[] = [
  { method: 'GET', path: '/api/students' },
  {
    method: 'POST',
    path: '/api/students',
    prepare: async () => ({ body: { name: `N ${uniq()}`, studentNumber: `M${uniq()}` } }),
  },
  // An upload without a roster file: 400 once the role check passed.
  {
    method: 'POST',
    path: '/api/students/import',
    alsoOk: [400],
    prepare: async () => ({ body: new FormData() }),
  },
  {
    method: 'GET',
    path: '/api/students/{studentId}',
    prepare: async () => ({ params: { studentId: ids.studentId! } }),
  },
  {
    method: 'PATCH',
    path: '/api/students/{studentId}',
    prepare: async () => ({ params: { studentId: ids.studentId! }, body: { email: null } }),
  },
  {
    method: 'DELETE',
    path: '/api/students/{studentId}',
    prepare: async () => ({ params: { studentId: (await makeStudent()).studentId } }),
  },
  {
    method: 'POST',
    path: '/api/students/{studentId}/photos',
    alsoOk: [400],
    prepare: async () => ({ params: { studentId: ids.studentId! }, body: new FormData() }),
  },
  {
    method: 'GET',
    path: '/api/students/{studentId}/photos/{photoId}',
    alsoOk: [404],
    prepare: async () => ({ params: { studentId: ids.studentId!, photoId: 'none' } }),
  },
  {
    method: 'DELETE',
    path: '/api/students/{studentId}/photos/{photoId}',
    alsoOk: [404],
    prepare: async () => ({ params: { studentId: ids.studentId!, photoId: 'none' } }),
  },
  {
    method: 'DELETE',
    path: '/api/students/{studentId}/biometrics',
    prepare: async () => ({ params: { studentId: (await makeStudent()).studentId } }),
  },
  { method: 'GET', path: '/api/courses' },
  {
    method: 'POST',
    path: '/api/courses',
    prepare: async () => ({ body: { code: `X${uniq()}`, courseName: 'Matrix' } }),
  },
  {
    method: 'GET',
    path: '/api/courses/{courseId}',
    prepare: async () => ({ params: { courseId: ids.courseId! } }),
  },
  {
    method: 'PATCH',
    path: '/api/courses/{courseId}',
    prepare: async () => ({ params: { courseId: ids.courseId! }, body: { room: 'R1' } }),
  },
  {
    method: 'DELETE',
    path: '/api/courses/{courseId}',
    prepare: async () => ({ params: { courseId: (await makeCourse()).courseId } }),
  },
  {
    method: 'DELETE',
    path: '/api/courses/{courseId}/enrollments/{studentId}',
    prepare: async () => {
      const st = await makeStudent();
      await enrollStudent(ids.courseId!, st.studentId);
      return { params: { courseId: ids.courseId!, studentId: st.studentId } };
    },
  },
  {
    method: 'GET',
    path: '/api/courses/{courseId}/enrollments',
    prepare: async () => ({ params: { courseId: ids.courseId! } }),
  },
  {
    method: 'POST',
    path: '/api/courses/{courseId}/enrollments',
    prepare: async () => ({ params: { courseId: ids.courseId! }, body: { students: [ids.studentNumber] } }),
  },
  {
    method: 'GET',
    path: '/api/courses/{courseId}/notifications',
    prepare: async () => ({ params: { courseId: ids.courseId! } }),
  },
  {
    method: 'POST',
    path: '/api/courses/{courseId}/notifications',
    prepare: async () => ({
      params: { courseId: ids.courseId! },
      body: { channel: 'slack', target: `https://hooks.slack.com/services/${uniq()}` },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/courses/{courseId}/notifications/{routeId}',
    prepare: async () => {
      const r = await createNotificationRoute(
        { courseId: ids.courseId! },
        { channel: 'slack', target: `https://hooks.example/${uniq()}` },
        null,
      );
      return { params: { courseId: ids.courseId!, routeId: r.routeId } };
    },
  },
  {
    method: 'GET',
    path: '/api/courses/{courseId}/timetables',
    prepare: async () => ({ params: { courseId: ids.courseId! } }),
  },
  {
    method: 'POST',
    path: '/api/courses/{courseId}/timetables',
    prepare: async () => ({ params: { courseId: ids.courseId! }, body: timetableBody() }),
  },
  {
    method: 'POST',
    path: '/api/courses/{courseId}/timetables/preview',
    prepare: async () => ({ params: { courseId: ids.courseId! }, body: timetableBody() }),
  },
  {
    method: 'PATCH',
    path: '/api/courses/{courseId}/timetables/{timetableId}',
    prepare: async () => ({
      params: { courseId: ids.courseId!, timetableId: await timetableId() },
      body: { endTime: '10:30' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/courses/{courseId}/timetables/{timetableId}',
    prepare: async () => ({ params: { courseId: ids.courseId!, timetableId: await timetableId() } }),
  },
  { method: 'GET', path: '/api/sessions' },
  {
    method: 'POST',
    path: '/api/sessions',
    prepare: async () => {
      const start = new Date(Date.now() + Math.floor(Math.random() * 1e9));
      return {
        body: {
          courseId: ids.courseId,
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/sessions/{sessionId}',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'PATCH',
    path: '/api/sessions/{sessionId}',
    prepare: async () => ({ params: s(), body: { lateAfterMinutes: 5 } }),
  },
  {
    method: 'POST',
    path: '/api/sessions/{sessionId}/start',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'POST',
    path: '/api/sessions/{sessionId}/stop',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'GET',
    path: '/api/sessions/{sessionId}/attendance',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'POST',
    path: '/api/sessions/{sessionId}/attendance',
    prepare: async () => ({
      params: s(),
      body: { studentId: ids.studentId, status: 'present', reason: 'seen in class' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/sessions/{sessionId}/attendance/{attendanceId}',
    prepare: async () => {
      const st = await makeStudent();
      await enrollStudent(ids.courseId!, st.studentId);
      const { attendance } = await recordAttendance({
        sessionId: ids.sessionId!,
        studentId: st.studentId,
        seenAt: new Date(),
        confidence: 0.8,
      });
      return { params: { ...s(), attendanceId: attendance.attendanceId }, body: { reason: 'wrong match' } };
    },
  },
  {
    method: 'POST',
    path: '/api/sessions/{sessionId}/attendance/{attendanceId}/liveness',
    prepare: async () => {
      const st = await makeStudent();
      await enrollStudent(ids.courseId!, st.studentId);
      const { attendance } = await recordAttendance({
        sessionId: ids.sessionId!,
        studentId: st.studentId,
        seenAt: new Date(),
        confidence: 0.8,
        livenessScore: 0.1,
        livenessDoubtful: true,
      });
      return { params: { ...s(), attendanceId: attendance.attendanceId }, body: { verdict: 'real' } };
    },
  },
  // No such face in the session: 404 is the allowed outcome; the role check runs first.
  {
    method: 'POST',
    path: '/api/sessions/{sessionId}/unknown/{unknownId}/liveness',
    alsoOk: [404],
    prepare: async () => ({ params: { ...s(), unknownId: 'none' }, body: { verdict: 'spoof' } }),
  },
  {
    method: 'GET',
    path: '/api/sessions/{sessionId}/mood',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'PATCH',
    path: '/api/courses/{courseId}/class-mood',
    prepare: async () => ({ params: { courseId: ids.courseId! }, body: { enabled: true } }),
  },
  {
    method: 'GET',
    path: '/api/sessions/{sessionId}/events',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'GET',
    path: '/api/sessions/{sessionId}/unknown',
    prepare: async () => ({ params: s() }),
  },
  {
    method: 'PATCH',
    path: '/api/sessions/{sessionId}/unknown/{unknownId}',
    alsoOk: [404],
    prepare: async () => ({ params: { ...s(), unknownId: 'none' }, body: { studentId: null } }),
  },
  // The crop was never stored here, so 404 is the allowed outcome; the role check runs first.
  {
    method: 'GET',
    path: '/api/unknown-faces/{unknownId}/image',
    alsoOk: [404],
    prepare: async () => ({ params: await unknownFace() }),
  },
  {
    method: 'POST',
    path: '/api/unknown-faces/{unknownId}/assign',
    prepare: async () => ({ params: await unknownFace(), body: { studentId: ids.studentId, recordAttendance: false } }),
  },
  { method: 'GET', path: '/api/unknown-faces/suggestions' },
  { method: 'DELETE', path: '/api/demo' },
  // A lecturer's assignment left a pending suggestion; only an admin decides it.
  {
    method: 'POST',
    path: '/api/unknown-faces/{unknownId}/suggestion',
    prepare: async () => {
      const { unknownId } = await unknownFace();
      await getDb()
        .update(unknownFaces)
        .set({ reviewed: true, studentId: ids.studentId!, reviewedBy: users.lecturer.id, suggestion: 'pending' })
        .where(eq(unknownFaces.unknownId, unknownId));
      return { params: { unknownId }, body: { decision: 'decline' } };
    },
  },
  { method: 'GET', path: '/api/cameras' },
  {
    method: 'POST',
    path: '/api/cameras',
    prepare: async () => ({ body: { name: `Cam ${uniq()}`, mode: 'push' } }),
  },
  {
    method: 'PATCH',
    path: '/api/cameras/{cameraId}',
    prepare: async () => ({ params: { cameraId: ids.cameraId! }, body: { room: 'Z9' } }),
  },
  // No worker runs here and the factory's pull camera has no URL: 400 (that, in words) or 503 once the role check passed.
  {
    method: 'POST',
    path: '/api/cameras/{cameraId}/test',
    alsoOk: [400, 503],
    prepare: async () => ({ params: { cameraId: ids.cameraId! } }),
  },
  {
    method: 'DELETE',
    path: '/api/cameras/{cameraId}',
    prepare: async () => ({ params: { cameraId: (await makeCamera()).cameraId } }),
  },
  {
    method: 'POST',
    path: '/api/cameras/{cameraId}/token',
    prepare: async () => ({ params: { cameraId: ids.cameraId! } }),
  },
  // No worker runs in this test: 503 (unreachable) is the allowed outcome once the role check passed.
  {
    method: 'GET',
    path: '/api/cameras/{cameraId}/last-frame',
    alsoOk: [404, 503],
    prepare: async () => ({ params: { cameraId: ids.cameraId! } }),
  },
  {
    method: 'GET',
    path: '/api/reports',
    prepare: async () => ({ query: `?from=${today}&to=${today}&format=csv` }),
  },
  {
    method: 'GET',
    path: '/api/reports/matrix',
    prepare: async () => ({ query: `?courseId=${ids.courseId}&from=${today}&to=${today}&format=xlsx` }),
  },
  { method: 'GET', path: '/api/audit' },
  { method: 'GET', path: '/api/users' },
  {
    method: 'POST',
    path: '/api/users',
    prepare: async () => ({ body: { email: `new-${uniq()}@example.edu`, role: 'lecturer' } }),
  },
  {
    method: 'PATCH',
    path: '/api/users/{userId}',
    prepare: async () => ({ params: { userId: (await makeUser()).userId }, body: { name: 'Renamed' } }),
  },
  {
    method: 'POST',
    path: '/api/users/{userId}/password',
    prepare: async () => ({ params: { userId: (await makeUser()).userId }, body: {} }),
  },
  {
    method: 'GET',
    path: '/api/sessions/{sessionId}/disputes',
    prepare: async () => ({ params: s() }),
  },
  // A fresh open dispute per call (resolving closes it).
  {
    method: 'POST',
    path: '/api/sessions/{sessionId}/disputes/{disputeId}',
    prepare: async () => {
      const who = await makeStudent();
      await enrollStudent(ids.courseId!, who.studentId);
      const d = await fileDispute({
        studentId: who.studentId,
        sessionId: ids.sessionId!,
        kind: 'was_there',
        text: 'x',
      });
      return { params: { sessionId: ids.sessionId!, disputeId: d.disputeId }, body: { decision: 'decline' } };
    },
  },
  // A student with a pending request per call (confirming closes it).
  {
    method: 'POST',
    path: '/api/students/{studentId}/erasure',
    prepare: async () => {
      const who = await makeStudent();
      await requestErasure(who.studentId);
      return { params: { studentId: who.studentId } };
    },
  },
  { method: 'GET', path: '/api/me' },
  { method: 'GET', path: '/api/me/data-copy' },
  { method: 'POST', path: '/api/me/erasure' },
  // The student's own course session; one open dispute at a time, so each call resolves the last one first.
  {
    method: 'POST',
    path: '/api/me/disputes',
    prepare: async () => {
      const open = (await listDisputesForSession(ids.sessionId!)).filter(
        (d) => d.studentId === users.student.id && d.state === 'open',
      );
      for (const d of open)
        await resolveDispute({
          sessionId: ids.sessionId!,
          disputeId: d.disputeId,
          decision: 'decline',
          actorUserId: users.admin.id,
        });
      return { body: { sessionId: ids.sessionId!, kind: 'not_me', text: 'Not me' } };
    },
  },
];

async function call(c: Case, who: keyof typeof users | null): Promise<number> {
  signedIn = who ? users[who] : null;
  const { params = {}, body, query = '' } = (await c.prepare?.()) ?? {};
  const handler = handlerOf(c)!;
  // A browser sends the page's Origin on every change; the route checks it (CSRF).
  const init: RequestInit = { method: c.method, headers: { origin: 'http://test' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { origin: 'http://test', 'content-type': 'application/json' };
  }
  const controller = new AbortController();
  init.signal = controller.signal;
  const res = await handler(new Request(`http://test${c.path}${query}`, init), { params: Promise.resolve(params) });
  if (res.ok) await expectDeclaredAnswer(`${c.method} ${c.path}`, declarationOf(c), res);
  controller.abort(); // ends the SSE stream
  await res.body?.cancel().catch(() => undefined);
  return res.status;
}

const allowed = (c: Case, status: number) => (status >= 200 && status < 300) || (c.alsoOk ?? []).includes(status);

describe('API route × role matrix', () => {
  it('covers every documented route', () => {
    const tested = new Set(CASES.map((c) => `${c.method} ${c.path}`));
    const documented = declaredRoutes(API_ROUTES).filter((r) => !r.declaration.public);
    const missing = documented.filter((r) => !tested.has(`${r.method} ${r.path}`));
    expect(missing).toEqual([]);
  });

  it('covers every route file and method under app/api that needs a session', () => {
    const tested = new Set(CASES.map((c) => `${c.method} ${c.path}`));
    const found = (readdirSync(path.resolve('app/api'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('route.ts'))
      .flatMap((f) => {
        const src = readFileSync(path.join('app/api', f), 'utf8');
        // Device and probe routes are `public` (their own token or none); Auth.js's own route is not route().
        if (/public: true/.test(src) || !/\broute\(/.test(src)) return [];
        const routePath = `/api/${path.dirname(f)}`.replace(/\[(\w+)\]/g, '{$1}');
        return [...src.matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g)].map((m) => `${m[1]} ${routePath}`);
      });
    expect(found.length).toBeGreaterThan(50);
    expect(found.filter((r) => !tested.has(r))).toEqual([]);
  });

  for (const c of CASES) {
    const { roles, ownCourse } = declarationOf(c);
    const may = (role: SessionRole) => roles.includes(role);
    const expected = (role: SessionRole) => (may(role) ? '2xx' : '403');
    describe(`${c.method} ${c.path} (${roles.join(', ')}${ownCourse ? ', own course' : ''})`, () => {
      it('anonymous → 401', async () => {
        expect(await call(c, null)).toBe(401);
      });
      it(`signed-in student → ${expected('student')}`, async () => {
        const status = await call(c, 'student');
        if (may('student')) expect(allowed(c, status), `status ${status}`).toBe(true);
        else expect(status).toBe(403);
      });
      it(`lecturer of the course → ${expected('lecturer')}`, async () => {
        const status = await call(c, 'lecturer');
        if (may('lecturer')) expect(allowed(c, status), `status ${status}`).toBe(true);
        else expect(status).toBe(403);
      });
      if (may('lecturer')) {
        it(`another lecturer → ${ownCourse ? '403' : '2xx'}`, async () => {
          const status = await call(c, 'other');
          if (ownCourse) expect(status).toBe(403);
          else expect(allowed(c, status), `status ${status}`).toBe(true);
        });
      }
      it(`admin → ${expected('admin')}`, async () => {
        const status = await call(c, 'admin');
        if (may('admin')) expect(allowed(c, status), `status ${status}`).toBe(true);
        else expect(status).toBe(403);
      });
    });
  }

  it('the 401 body has the error shape', async () => {
    signedIn = null;
    const { GET } = (await import('@/app/api/courses/route')) as unknown as { GET: Handler };
    const res = await GET(new Request('http://test/api/courses'), { params: Promise.resolve({}) });
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  });

  it('lecturers only list their own courses', async () => {
    signedIn = users.other;
    const { GET } = (await import('@/app/api/courses/route')) as unknown as { GET: Handler };
    const res = await GET(new Request('http://test/api/courses'), { params: Promise.resolve({}) });
    expect((await res.json()).courses).toEqual([]);
  });
});
