/**
 * Timetables against the real database, through the real routes where the clock does not matter and
 * through lib/data with an explicit `now` for the rules that depend on it (edits touch only future,
 * never-run sessions).
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, classSessions, type UserRole } from '@/db/schema';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { updateSession } from '@/lib/data/session-admin';
import { createTimetable, deleteTimetable, updateTimetable, type TimetableInput } from '@/lib/data/timetables';
import { makeCamera, makeCourse, makeStudent, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  path: string,
  method: string,
  params: Record<string, string>,
  body?: unknown,
): Promise<{
  status: number;
  json: Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } };
}> {
  const mod = (await import(/* @vite-ignore */ `@/app/api/${path}/route`)) as Record<string, Handler>;
  const init: RequestInit = { method, headers: { origin: 'http://test', 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await mod[method]!(new Request(`http://test/api/${path}`, init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as never };
}

const sessionsOf = (courseId: string) =>
  getDb().select().from(classSessions).where(eq(classSessions.courseId, courseId)).orderBy(classSessions.startsAt);

const TERM = {
  weekdays: ['mon'],
  startTime: '09:00',
  endTime: '10:40',
  fromDate: '2027-02-03',
  toDate: '2027-05-30',
  exceptDates: ['2027-03-08'],
  timeZone: 'Asia/Jakarta',
};

let lecturer: { id: string; role: UserRole; email: string };

beforeAll(async () => {
  const u = await makeUser({ role: 'lecturer' });
  lecturer = { id: u.userId, role: 'lecturer', email: u.email };
});

describe('POST /api/courses/:courseId/timetables', () => {
  it("creates the term's sessions in campus time with the camera's room; the exception date has none", async () => {
    // A lecturer picks a camera in the course's room.
    const course = await makeCourse({ lecturerId: lecturer.id, room: 'A101' });
    const camera = await makeCamera({ room: 'A101' });
    signedIn = lecturer;
    const res = await call(
      'courses/[courseId]/timetables',
      'POST',
      { courseId: course.courseId },
      { ...TERM, cameraId: camera.cameraId },
    );
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.sessions).toMatchObject({ created: 15, skippedPast: 0 });
    const rows = await sessionsOf(course.courseId);
    expect(rows).toHaveLength(15);
    expect(rows.map((r) => r.date)).not.toContain('2027-03-08');
    expect(rows[0]).toMatchObject({
      date: '2027-02-08',
      startsAt: new Date('2027-02-08T02:00:00Z'),
      endsAt: new Date('2027-02-08T03:40:00Z'),
      room: 'A101',
      cameraId: camera.cameraId,
      status: 'scheduled',
    });
    expect(new Set(rows.map((r) => r.timetableId))).toEqual(
      new Set([(res.json.timetable as { timetableId: string }).timetableId]),
    );
    // Listed with its counts, and audited.
    const list = await call('courses/[courseId]/timetables', 'GET', { courseId: course.courseId });
    expect(list.json.timetables).toMatchObject([
      {
        weekdays: 'mon',
        room: 'A101',
        cameraName: camera.name,
        sessions: 15,
        upcoming: 15,
        exceptDates: ['2027-03-08'],
        timeZone: 'Asia/Jakarta',
      },
    ]);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'timetable.create'));
    expect(audit.some((a) => (a.details as { courseId?: string })?.courseId === course.courseId)).toBe(true);
  });

  it('refuses the whole pattern with 409 listing each clashing date (same camera, same room), saving nothing', async () => {
    const camera = await makeCamera({ room: 'B202' });
    const first = await makeCourse({ lecturerId: lecturer.id, room: 'B202' });
    signedIn = lecturer;
    expect(
      (
        await call(
          'courses/[courseId]/timetables',
          'POST',
          { courseId: first.courseId },
          { ...TERM, cameraId: camera.cameraId, exceptDates: [] },
        )
      ).status,
    ).toBe(201);

    // Another course in the same camera, 10:00–11:00 on Mondays in March: clashes on each March Monday.
    const second = await makeCourse({ lecturerId: lecturer.id, room: 'B202' });
    const byCamera = await call(
      'courses/[courseId]/timetables',
      'POST',
      { courseId: second.courseId },
      {
        ...TERM,
        exceptDates: [],
        startTime: '10:00',
        endTime: '11:00',
        fromDate: '2027-03-01',
        toDate: '2027-03-31',
        cameraId: camera.cameraId,
      },
    );
    expect(byCamera.status).toBe(409);
    expect(byCamera.json.error?.details?.dates).toEqual([
      '2027-03-01',
      '2027-03-08',
      '2027-03-15',
      '2027-03-22',
      '2027-03-29',
    ]);
    expect(byCamera.json.error?.message).toMatch(
      /^Nothing was saved: the timetable overlaps other sessions on 5 date\(s\): 2027-03-01 \(C\w+, camera /,
    );
    expect((byCamera.json.error?.details?.clashes as Array<{ reason: string }>)[0]?.reason).toBe('camera');
    expect(await sessionsOf(second.courseId)).toHaveLength(0);

    // Same room without a camera: also a clash; back to back (10:40–12:00) is not.
    const byRoom = await call(
      'courses/[courseId]/timetables',
      'POST',
      { courseId: second.courseId },
      {
        ...TERM,
        exceptDates: [],
        startTime: '10:39',
        endTime: '12:00',
        fromDate: '2027-05-17',
        toDate: '2027-05-30',
        room: 'b202',
      },
    );
    expect(byRoom.status).toBe(409);
    expect(byRoom.json.error?.details?.dates).toEqual(['2027-05-17', '2027-05-24']);
    const backToBack = await call(
      'courses/[courseId]/timetables',
      'POST',
      { courseId: second.courseId },
      {
        ...TERM,
        exceptDates: [],
        startTime: '10:40',
        endTime: '12:00',
        fromDate: '2027-05-17',
        toDate: '2027-05-30',
        room: 'B202',
      },
    );
    expect(backToBack.status, JSON.stringify(backToBack.json)).toBe(201);
  });

  it('the preview lists the dates and the clashes and writes nothing', async () => {
    const course = await makeCourse({ lecturerId: lecturer.id });
    signedIn = lecturer;
    await call(
      'courses/[courseId]/timetables',
      'POST',
      { courseId: course.courseId },
      { ...TERM, fromDate: '2027-02-08', toDate: '2027-02-08', exceptDates: [] },
    );
    const preview = await call(
      'courses/[courseId]/timetables/preview',
      'POST',
      { courseId: course.courseId },
      { ...TERM, weekdays: ['mon', 'wed'], fromDate: '2027-02-08', toDate: '2027-02-17', exceptDates: ['2027-02-15'] },
    );
    expect(preview.status).toBe(200);
    expect((preview.json.occurrences as Array<{ date: string; past: boolean }>).map((o) => o.date)).toEqual([
      '2027-02-08',
      '2027-02-10',
      '2027-02-17',
    ]);
    expect((preview.json.clashes as Array<{ date: string; reason: string }>).map((c) => [c.date, c.reason])).toEqual([
      ['2027-02-08', 'course'],
    ]);
    expect(await sessionsOf(course.courseId)).toHaveLength(1);
  });

  it.each([
    [
      { endTime: '08:00' },
      'A session must end after it starts (09:00–08:00); sessions past midnight are not supported',
    ],
    [{ exceptDates: ['2027-07-01'] }, 'The exception 2027-07-01 is outside 2027-02-03 – 2027-05-30'],
    [{ timeZone: 'Jakarta' }, '"Jakarta" is not a time zone; use an IANA name such as Asia/Jakarta'],
    [
      { weekdays: ['tue'], fromDate: '2027-02-08', toDate: '2027-02-08', exceptDates: [] },
      'No date from 2027-02-08 to 2027-02-08 falls on the chosen weekday(s) outside the exceptions',
    ],
  ])('400 in plain words: %o', async (patch, message) => {
    const course = await makeCourse({ lecturerId: lecturer.id });
    signedIn = lecturer;
    const res = await call(
      'courses/[courseId]/timetables',
      'POST',
      { courseId: course.courseId },
      { ...TERM, ...patch },
    );
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toBe(message);
  });
});

describe('timetable rules that depend on the clock (lib/data with an explicit now)', () => {
  const input = (courseId: string, patch: Partial<TimetableInput> = {}): TimetableInput => ({
    courseId,
    cameraId: null,
    room: null,
    lateAfterMinutes: null,
    weekdays: ['mon'],
    startTime: '09:00',
    endTime: '10:40',
    fromDate: '2027-02-01',
    toDate: '2027-03-01',
    exceptDates: [],
    timeZone: 'UTC',
    ...patch,
  });

  it('a term under way gets only its future sessions', async () => {
    const course = await makeCourse();
    const r = await createTimetable(input(course.courseId), null, new Date('2027-02-16T00:00:00Z'));
    expect([r.created, r.skippedPast]).toEqual([2, 3]);
    expect((await sessionsOf(course.courseId)).map((s) => s.date)).toEqual(['2027-02-22', '2027-03-01']);
  });

  it('an edit moves, adds and removes only future sessions that never ran and have no attendance', async () => {
    const course = await makeCourse();
    const student = await makeStudent();
    await enrollStudent(course.courseId, student.studentId);
    const created = await createTimetable(input(course.courseId), null, new Date('2027-01-01T00:00:00Z'));
    const before = await sessionsOf(course.courseId); // Feb 1, 8, 15, 22, Mar 1
    expect(before).toHaveLength(5);
    const [ran, , withAttendance, cancelled] = [before[0]!, before[1]!, before[2]!, before[3]!];
    // Feb 15 already has an (excused) attendance row; Feb 22 was cancelled by the lecturer.
    await recordAttendance({
      sessionId: withAttendance.sessionId,
      studentId: student.studentId,
      seenAt: withAttendance.startsAt,
      confidence: null,
    });
    await updateSession(cancelled.sessionId, { status: 'cancelled' }, null);
    // An edit that would end a session before it starts: a sentence on the end field, nothing changed.
    await expect(updateSession(ran.sessionId, { endsAt: ran.startsAt }, null)).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: { endsAt: 'Choose an end after the start' },
    });

    // On Feb 5 the class moves to 10:00–11:30 and Mondays + Wednesdays, except Feb 10.
    const now = new Date('2027-02-05T00:00:00Z');
    const r = await updateTimetable(
      created.timetable.timetableId,
      { startTime: '10:00', endTime: '11:30', weekdays: ['mon', 'wed'], exceptDates: ['2027-02-10'] },
      null,
      now,
    );
    const after = await sessionsOf(course.courseId);
    const byDate = new Map(after.map((s) => [s.date, s]));
    // Untouched: the one that ran, the one with attendance, the cancelled one.
    for (const s of [ran, withAttendance, cancelled])
      expect(byDate.get(s.date)).toMatchObject({ sessionId: s.sessionId, startsAt: s.startsAt, endsAt: s.endsAt });
    // Moved in place (same id): Feb 8 and Mar 1.
    expect(byDate.get('2027-02-08')).toMatchObject({
      sessionId: before[1]!.sessionId,
      startsAt: new Date('2027-02-08T10:00:00Z'),
      endsAt: new Date('2027-02-08T11:30:00Z'),
    });
    expect(byDate.get('2027-03-01')).toMatchObject({
      sessionId: before[4]!.sessionId,
      startsAt: new Date('2027-03-01T10:00:00Z'),
    });
    // Added: the Wednesdays after now, except Feb 10.
    expect(
      [...byDate.keys()].filter((d) => ['2027-02-03', '2027-02-10', '2027-02-17', '2027-02-24'].includes(d)),
    ).toEqual(['2027-02-17', '2027-02-24']);
    expect(r).toMatchObject({ created: 2, updated: 2, removed: 0, kept: 3 });

    // Dropping Mar 1 again by an exception removes that future session; the kept ones stay.
    const r2 = await updateTimetable(
      created.timetable.timetableId,
      { exceptDates: ['2027-02-10', '2027-03-01'] },
      null,
      now,
    );
    expect(r2.removed).toBe(1);
    expect((await sessionsOf(course.courseId)).map((s) => s.date)).not.toContain('2027-03-01');
  });

  it('an edit that would clash is refused whole, changing nothing', async () => {
    const room = `R${Date.now() % 100000}`;
    const a = await makeCourse();
    const b = await makeCourse();
    const now = new Date('2027-01-01T00:00:00Z');
    const ta = await createTimetable(input(a.courseId, { room }), null, now);
    await createTimetable(input(b.courseId, { room, startTime: '11:00', endTime: '12:00' }), null, now);
    const before = await sessionsOf(a.courseId);
    await expect(updateTimetable(ta.timetable.timetableId, { endTime: '11:30' }, null, now)).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { dates: ['2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22', '2027-03-01'] },
    });
    expect(await sessionsOf(a.courseId)).toEqual(before);
  });

  it('deleting a timetable removes its future, never-run sessions and keeps (unlinks) the others', async () => {
    const course = await makeCourse();
    const student = await makeStudent();
    await enrollStudent(course.courseId, student.studentId);
    const t = await createTimetable(input(course.courseId), null, new Date('2027-01-01T00:00:00Z'));
    const rows = await sessionsOf(course.courseId);
    await recordAttendance({
      sessionId: rows[3]!.sessionId,
      studentId: student.studentId,
      seenAt: rows[3]!.startsAt,
      confidence: 0.9,
    });
    const r = await deleteTimetable(t.timetable.timetableId, null, new Date('2027-02-10T00:00:00Z'));
    expect(r).toEqual({ removed: 2, kept: 3 }); // Feb 1 + 8 ran, Feb 22 has attendance; Feb 15 and Mar 1 go
    const left = await sessionsOf(course.courseId);
    expect(left.map((s) => s.date)).toEqual(['2027-02-01', '2027-02-08', '2027-02-22']);
    expect(left.every((s) => s.timetableId === null)).toBe(true);
  });

  it('stores the right instants and local dates in zones with and without daylight saving', async () => {
    const berlin = await makeCourse();
    await createTimetable(
      input(berlin.courseId, { fromDate: '2027-03-22', toDate: '2027-04-05', timeZone: 'Europe/Berlin' }),
      null,
      new Date('2027-01-01T00:00:00Z'),
    );
    expect((await sessionsOf(berlin.courseId)).map((s) => [s.date, s.startsAt.toISOString()])).toEqual([
      ['2027-03-22', '2027-03-22T08:00:00.000Z'],
      ['2027-03-29', '2027-03-29T07:00:00.000Z'],
      ['2027-04-05', '2027-04-05T07:00:00.000Z'],
    ]);
    const auckland = await makeCourse();
    await createTimetable(
      input(auckland.courseId, {
        fromDate: '2027-02-08',
        toDate: '2027-02-08',
        startTime: '08:00',
        endTime: '09:00',
        timeZone: 'Pacific/Auckland',
      }),
      null,
      new Date('2027-01-01T00:00:00Z'),
    );
    expect((await sessionsOf(auckland.courseId)).map((s) => [s.date, s.startsAt.toISOString()])).toEqual([
      ['2027-02-08', '2027-02-07T19:00:00.000Z'],
    ]);
  });
});
