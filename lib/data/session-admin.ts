import 'server-only';
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendances,
  cameras,
  classSessions,
  courseEnrollments,
  courses,
  type ClassSession,
  type Course,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { audited } from './audit';
import { getCourseOrThrow } from './courses';
import {
  assertEndsAfterStart,
  clockTime,
  getSessionOrThrow,
  localDay,
  mayNameCourse,
  sessionAlongside,
  type PlaceActor,
} from './sessions';

/** Statuses that count as "attended" in rates and the overview. */
export const ATTENDED_STATUSES = ['present', 'late', 'manual', 'excused'] as const;

export interface SessionListRow extends ClassSession {
  courseCode: string;
  courseName: string;
  lecturerId: string | null;
  cameraName: string | null;
  enrolled: number;
  attended: number;
}

/**
 * Sessions between two dates ('YYYY-MM-DD', inclusive), newest first, with enrolled / attended counts.
 * `lecturerId` limits the list to that lecturer's courses.
 */
export async function listSessionsWithCounts(opts: {
  from: string;
  to: string;
  lecturerId: string | null;
  limit?: number;
}): Promise<SessionListRow[]> {
  return runDb('sessions.listWithCounts', async (db) => {
    const rows = await db
      .select({
        session: classSessions,
        courseCode: courses.code,
        courseName: courses.courseName,
        lecturerId: courses.lecturerId,
        cameraName: cameras.name,
        enrolled: sql<number>`(select count(*) from ${courseEnrollments} where ${courseEnrollments.courseId} = ${classSessions.courseId})`,
        attended: sql<number>`(select count(*) from ${attendances} where ${attendances.sessionId} = ${classSessions.sessionId}
          and ${inArray(attendances.status, [...ATTENDED_STATUSES])})`,
      })
      .from(classSessions)
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .leftJoin(cameras, eq(cameras.cameraId, classSessions.cameraId))
      .where(
        and(
          gte(classSessions.date, opts.from),
          lte(classSessions.date, opts.to),
          opts.lecturerId ? eq(courses.lecturerId, opts.lecturerId) : undefined,
        ),
      )
      .orderBy(desc(classSessions.startsAt))
      .limit(opts.limit ?? 500);
    return rows.map((r) => ({
      ...r.session,
      courseCode: r.courseCode,
      courseName: r.courseName,
      lecturerId: r.lecturerId,
      cameraName: r.cameraName,
      enrolled: Number(r.enrolled),
      attended: Number(r.attended),
    }));
  });
}

/** The session with its course, for access checks (`course.lecturerId`). */
export async function getSessionWithCourse(sessionId: string): Promise<{ session: ClassSession; course: Course }> {
  const session = await getSessionOrThrow(sessionId);
  const course = await getCourseOrThrow(session.courseId);
  return { session, course };
}

export type SessionPatch = Partial<
  Pick<ClassSession, 'cameraId' | 'date' | 'startsAt' | 'endsAt' | 'room' | 'lateAfterMinutes' | 'status'>
>;

/** Changes the session's row and writes `action`'s audit entry (details: the patch) in one transaction. */
async function changeSession(
  sessionId: string,
  patch: SessionPatch & { closedAt?: Date },
  audit: { actorUserId: string | null; action: string },
): Promise<ClassSession> {
  await audited(
    'sessions.update',
    { ...audit, entity: 'class_sessions', entityId: sessionId, details: patch },
    async (tx) => {
      if (Object.keys(patch).length > 0) {
        await tx.update(classSessions).set(patch).where(eq(classSessions.sessionId, sessionId));
      }
    },
  );
  return getSessionOrThrow(sessionId);
}

export async function updateSession(
  sessionId: string,
  patch: SessionPatch,
  actorUserId: string | null,
): Promise<ClassSession> {
  const current = await getSessionOrThrow(sessionId);
  const startsAt = patch.startsAt ?? current.startsAt;
  const endsAt = patch.endsAt ?? current.endsAt;
  assertEndsAfterStart(startsAt, endsAt);
  return changeSession(sessionId, patch, { actorUserId, action: 'session.update' });
}

/**
 * "Start now": the session runs from now for its planned length (a class due at 09:00 started at 09:20
 * ends 20 minutes later than planned, as the lecturer will teach the whole slot). A session already
 * running is left as it is. Refused (409) while another session runs in the same room or on the same
 * camera: its faces would be recorded for the wrong class. The refusal names the other course only to
 * an admin or that course's lecturer (`viewer`).
 */
export async function startSessionNow(
  sessionId: string,
  actorUserId: string | null,
  now = new Date(),
  viewer: PlaceActor = { role: 'admin' },
): Promise<ClassSession> {
  const s = await getSessionOrThrow(sessionId);
  if (s.status === 'cancelled') throw new AppError('CONFLICT', 'A cancelled session cannot be started');
  if (s.status === 'open' && s.startsAt <= now && s.endsAt > now) return s;
  // Running at `now`: started at or before it, ending after it.
  const clash = await sessionAlongside(s, new Date(now.getTime() + 1), now, 'open');
  if (clash) {
    const where = clash.room && clash.room === s.room ? `in room ${clash.room}` : 'on the same camera';
    if (!mayNameCourse(viewer, clash.lecturerId))
      throw new AppError(
        'CONFLICT',
        `Another course's session is running ${where} until ${clockTime(clash.endsAt)}. Start this session when it ends.`,
      );
    throw new AppError(
      'CONFLICT',
      `${clash.courseCode} is running ${where} until ${clockTime(clash.endsAt)}. Stop it first, or start this session when it ends.`,
      { details: { sessionId: clash.sessionId } },
    );
  }
  const length = s.endsAt.getTime() - s.startsAt.getTime();
  const patch = {
    status: 'open' as const,
    startsAt: now,
    endsAt: new Date(now.getTime() + length),
    date: localDay(now),
  };
  return changeSession(sessionId, patch, { actorUserId, action: 'session.start' });
}

/** "Stop now": closes the session; an end in the future moves to now so the worker stops recording. */
export async function stopSessionNow(
  sessionId: string,
  actorUserId: string | null,
  now = new Date(),
): Promise<ClassSession> {
  const s = await getSessionOrThrow(sessionId);
  const endsAt = s.endsAt > now && s.startsAt < now ? now : s.endsAt;
  return changeSession(sessionId, { status: 'closed', closedAt: now, endsAt }, { actorUserId, action: 'session.stop' });
}

/** Upcoming and today's sessions of a course (for the course page). */
export async function listSessionsOfCourse(courseId: string): Promise<ClassSession[]> {
  return runDb('sessions.ofCourse', (db) =>
    db
      .select()
      .from(classSessions)
      .where(eq(classSessions.courseId, courseId))
      .orderBy(asc(classSessions.startsAt))
      .limit(500),
  );
}
