/**
 * What a lecturer may do over the real API (Hardening II item 7): cameras only in the course's room,
 * room and clash rules on timetables and on every status change, sessions of bounded length, clash
 * messages that name no other lecturer's course, and "This is <student>" that suggests a template
 * for an admin to approve instead of making one.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, faceTemplates, unknownFaces, type UserRole } from '@/db/schema';
import { enrollStudent } from '@/lib/data/courses';
import { insertUnknownFace } from '@/lib/data/unknown-faces';
import { currentEngineIdentity, engineKey } from '@/lib/face/engine-identity';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Person = Awaited<ReturnType<typeof makeUser>>;
const as = (u: Person) => (signedIn = { id: u.userId, role: u.role, email: u.email });

async function api(method: string, path: string, params: Record<string, string>, body?: unknown): Promise<Response> {
  const mod = (await import(/* @vite-ignore */ `@/app/api/${path}/route`)) as Record<string, Handler>;
  const init: RequestInit = { method, headers: { origin: 'http://test' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { origin: 'http://test', 'content-type': 'application/json' };
  }
  return mod[method]!(new Request(`http://test/api/${path}`, init), { params: Promise.resolve(params) });
}
const message = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

const H = 3_600_000;
const people = {} as Record<'lecturer' | 'rival' | 'admin', Person>;
const room = `LR${Math.random().toString(36).slice(2, 6)}`;
const ids = { course: '', rivalCourse: '', rivalCode: '', ownCamera: '', otherCamera: '', student: '' };

beforeAll(async () => {
  people.lecturer = await makeUser({ role: 'lecturer' });
  people.rival = await makeUser({ role: 'lecturer' });
  people.admin = await makeUser({ role: 'admin' });
  const course = await makeCourse({ lecturerId: people.lecturer.userId, room });
  const rival = await makeCourse({ lecturerId: people.rival.userId, room, code: `RIV${Date.now() % 100000}` });
  const student = await makeStudent();
  await enrollStudent(course.courseId, student.studentId);
  Object.assign(ids, {
    course: course.courseId,
    rivalCourse: rival.courseId,
    rivalCode: rival.code,
    ownCamera: (await makeCamera({ room })).cameraId,
    otherCamera: (await makeCamera({ room: `${room}-elsewhere` })).cameraId,
    student: student.studentId,
  });
});

/** A free slot `days` ahead (each test its own, so they do not clash with each other). */
const slot = (days: number, hours = 1.5) => {
  const startsAt = new Date(Date.now() + days * 24 * H);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + hours * H).toISOString() };
};

describe('lecturers and cameras', () => {
  it('a lecturer schedules with a camera in the course’s room, not with one elsewhere (403 in words)', async () => {
    as(people.lecturer);
    const refused = await api('POST', 'sessions', {}, { courseId: ids.course, cameraId: ids.otherCamera, ...slot(3) });
    expect(refused.status).toBe(403);
    expect(await message(refused)).toMatch(/camera in the course's room/);
    const ok = await api('POST', 'sessions', {}, { courseId: ids.course, cameraId: ids.ownCamera, ...slot(4) });
    expect(ok.status).toBe(201);
    const moved = await api(
      'PATCH',
      'sessions/[sessionId]',
      { sessionId: ((await ok.json()) as { sessionId: string }).sessionId },
      {
        cameraId: ids.otherCamera,
      },
    );
    expect(moved.status).toBe(403);
    as(people.admin);
    expect(
      (await api('POST', 'sessions', {}, { courseId: ids.course, cameraId: ids.otherCamera, ...slot(5) })).status,
    ).toBe(201);
  });

  it('timetables: a lecturer may not pick a camera or room outside the course’s room (save and preview)', async () => {
    as(people.lecturer);
    const pattern = {
      weekdays: ['mon'],
      startTime: '09:00',
      endTime: '10:30',
      fromDate: '2031-01-06',
      toDate: '2031-01-06',
      timeZone: 'UTC',
    };
    const camera = await api(
      'POST',
      'courses/[courseId]/timetables',
      { courseId: ids.course },
      { ...pattern, cameraId: ids.otherCamera },
    );
    expect(camera.status).toBe(403);
    const other = await api(
      'POST',
      'courses/[courseId]/timetables',
      { courseId: ids.course },
      { ...pattern, room: 'Z-99' },
    );
    expect(other.status).toBe(403);
    const preview = await api(
      'POST',
      'courses/[courseId]/timetables/preview',
      { courseId: ids.course },
      { ...pattern, cameraId: ids.otherCamera },
    );
    expect(preview.status).toBe(403);
    const ok = await api(
      'POST',
      'courses/[courseId]/timetables',
      { courseId: ids.course },
      { ...pattern, cameraId: ids.ownCamera },
    );
    expect(ok.status).toBe(201);
  });
});

describe('clashes', () => {
  it('name no other lecturer’s course to a lecturer (sessions, start, timetables), but do to an admin', async () => {
    const startsAt = new Date(Date.now() + 20 * 24 * H);
    const theirs = await makeSession({
      courseId: ids.rivalCourse,
      room,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * H),
    });
    const body = {
      courseId: ids.course,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + H).toISOString(),
    };

    as(people.lecturer);
    const res = await api('POST', 'sessions', {}, body);
    expect(res.status).toBe(409);
    const json = JSON.stringify(await res.json());
    expect(json).not.toContain(ids.rivalCode);
    expect(json).not.toContain(theirs.sessionId);
    expect(json).toMatch(/Another course/);

    const day = startsAt.toISOString().slice(0, 10);
    const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][startsAt.getUTCDay()];
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const pattern = {
      weekdays: [weekday],
      startTime: hhmm(startsAt),
      endTime: hhmm(new Date(startsAt.getTime() + H)),
      fromDate: day,
      toDate: day,
      timeZone: 'UTC',
    };
    const tt = await api('POST', 'courses/[courseId]/timetables', { courseId: ids.course }, pattern);
    expect(tt.status).toBe(409);
    const ttJson = JSON.stringify(await tt.json());
    expect(ttJson).not.toContain(ids.rivalCode);
    expect(ttJson).not.toContain(theirs.sessionId);
    const preview = await api('POST', 'courses/[courseId]/timetables/preview', { courseId: ids.course }, pattern);
    const previewJson = (await preview.json()) as { clashes: { courseCode: string; sessionId: string | null }[] };
    expect(previewJson.clashes).toHaveLength(1);
    expect(previewJson.clashes[0]).toMatchObject({ courseCode: 'another course', sessionId: null });

    as(people.admin);
    const admin = await api('POST', 'sessions', {}, body);
    expect(admin.status).toBe(409);
    expect(await message(admin)).toContain(ids.rivalCode);
  });

  it('"Start now" beside another lecturer’s running session does not name it', async () => {
    const running = await makeSession({ courseId: ids.rivalCourse, room: `${room}-start`, status: 'open' });
    const mine = await makeSession({
      courseId: ids.course,
      room: `${room}-start`,
      startsAt: new Date(Date.now() + 5 * 24 * H),
    });
    as(people.lecturer);
    const res = await api('POST', 'sessions/[sessionId]/start', { sessionId: mine.sessionId });
    expect(res.status).toBe(409);
    const json = JSON.stringify(await res.json());
    expect(json).not.toContain(ids.rivalCode);
    expect(json).not.toContain(running.sessionId);
  });

  it('run on every status change: a cancelled session put back on a taken slot is refused', async () => {
    const startsAt = new Date(Date.now() + 30 * 24 * H);
    const endsAt = new Date(startsAt.getTime() + H);
    const mine = await makeSession({ courseId: ids.course, room, startsAt, endsAt, status: 'cancelled' });
    await makeSession({ courseId: ids.rivalCourse, room, startsAt, endsAt });
    as(people.lecturer);
    for (const status of ['scheduled', 'open']) {
      const res = await api('PATCH', 'sessions/[sessionId]', { sessionId: mine.sessionId }, { status });
      expect(res.status).toBe(409);
      expect(await message(res)).not.toContain(ids.rivalCode);
    }
  });
});

describe('session length', () => {
  it('a session longer than 12 hours is refused in words (create and edit), for lecturers and admins', async () => {
    as(people.lecturer);
    const long = await api('POST', 'sessions', {}, { courseId: ids.course, ...slot(40, 15 * 24) });
    expect(long.status).toBe(400);
    expect(await message(long)).toMatch(/at most 12 hours; this one would last 15 days/);
    const ok = await api('POST', 'sessions', {}, { courseId: ids.course, ...slot(60, 3) });
    expect(ok.status).toBe(201);
    const { sessionId, startsAt } = (await ok.json()) as { sessionId: string; startsAt: string };
    const stretched = await api(
      'PATCH',
      'sessions/[sessionId]',
      { sessionId },
      {
        endsAt: new Date(Date.parse(startsAt) + 13 * H).toISOString(),
      },
    );
    expect(stretched.status).toBe(400);
    as(people.admin);
    expect((await api('POST', 'sessions', {}, { courseId: ids.course, ...slot(80, 13) })).status).toBe(400);
  });
});

describe('"This is <student>" from a lecturer suggests a template; an admin approves or declines', () => {
  const embedding = Buffer.from(Float32Array.from({ length: 1280 }, (_, i) => Math.cos(i)).buffer);
  const newUnknown = async (sessionId: string) =>
    insertUnknownFace({
      sessionId,
      cameraId: null,
      storageKey: `unknown-faces/test/${crypto.randomUUID()}.jpg`,
      embedding,
      model: engineKey(currentEngineIdentity('embedding')),
      seenAt: new Date(),
    });
  const templatesOf = async (studentId: string) =>
    getDb().select().from(faceTemplates).where(eq(faceTemplates.studentId, studentId));

  it('records attendance but no template; the admin sees the suggestion and approving makes the template once', async () => {
    process.env.MATCHER = 'embedding';
    const session = await makeSession({ courseId: ids.course });
    const unknownId = await newUnknown(session.sessionId);
    as(people.lecturer);
    const res = await api('POST', 'unknown-faces/[unknownId]/assign', { unknownId }, { studentId: ids.student });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { templateId: string | null; templateSkipped: string; attendanceId: string };
    expect(out).toMatchObject({ templateId: null, templateSkipped: 'suggested' });
    expect(out.attendanceId).toBeTruthy();
    expect(await templatesOf(ids.student)).toEqual([]);

    // Neither lecturer may list or decide suggestions.
    expect((await api('GET', 'unknown-faces/suggestions', {})).status).toBe(403);
    expect(
      (await api('POST', 'unknown-faces/[unknownId]/suggestion', { unknownId }, { decision: 'approve' })).status,
    ).toBe(403);

    as(people.admin);
    const list = (await (await api('GET', 'unknown-faces/suggestions', {})).json()) as {
      suggestions: { unknownId: string; studentId: string; suggestedBy: string }[];
    };
    expect(list.suggestions).toContainEqual(
      expect.objectContaining({ unknownId, studentId: ids.student, suggestedBy: people.lecturer.userId }),
    );
    const approved = await api('POST', 'unknown-faces/[unknownId]/suggestion', { unknownId }, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const { templateId } = (await approved.json()) as { templateId: string };
    const [template] = await templatesOf(ids.student);
    expect(template!.templateId).toBe(templateId);
    expect(Buffer.compare(template!.embedding, embedding)).toBe(0);
    expect(
      (await api('POST', 'unknown-faces/[unknownId]/suggestion', { unknownId }, { decision: 'approve' })).status,
    ).toBe(409);
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'unknown_faces'), eq(auditLog.entityId, unknownId)));
    expect(audit.map((a) => a.action).sort()).toEqual(['unknown_face.assign', 'unknown_face.suggestion_approve']);
    expect(audit.find((a) => a.action === 'unknown_face.suggestion_approve')!.actorUserId).toBe(people.admin.userId);
  });

  it('declining makes no template and leaves the list', async () => {
    const student = await makeStudent();
    await enrollStudent(ids.course, student.studentId);
    const session = await makeSession({ courseId: ids.course });
    const unknownId = await newUnknown(session.sessionId);
    as(people.lecturer);
    expect(
      (await api('POST', 'unknown-faces/[unknownId]/assign', { unknownId }, { studentId: student.studentId })).status,
    ).toBe(200);
    as(people.admin);
    const declined = await api('POST', 'unknown-faces/[unknownId]/suggestion', { unknownId }, { decision: 'decline' });
    expect(declined.status).toBe(200);
    expect(await templatesOf(student.studentId)).toEqual([]);
    const [row] = await getDb().select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId));
    expect(row).toMatchObject({ suggestion: 'declined', suggestionDecidedBy: people.admin.userId });
    const list = (await (await api('GET', 'unknown-faces/suggestions', {})).json()) as {
      suggestions: { unknownId: string }[];
    };
    expect(list.suggestions.map((s) => s.unknownId)).not.toContain(unknownId);
  });
});
