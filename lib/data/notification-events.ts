import 'server-only';
import { and, eq, gt, gte, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendances,
  auditLog,
  cameras,
  classSessions,
  courseEnrollments,
  courses,
  students,
  unknownFaces,
} from '@/db/schema';
import type { AttendanceCounts } from './types';

/** One session of the day in a digest: counts only, never a student. */
export type DigestSession = {
  courseCode: string;
  courseName: string;
  startsAt: string;
  endsAt: string;
  /** At the time of the digest; counts of a running session are so far. */
  status: 'over' | 'running' | 'upcoming';
  counts: AttendanceCounts & { excused: number };
  /** Unknown faces of this session nobody has reviewed yet. */
  unknownWaiting: number;
  // Student disputes do not exist yet; when they do, their open count belongs here.
};

/**
 * "Already notified" is an audit_log row (action `notification.*`, entity + id): no extra column, it
 * survives restarts, and the audit page shows what was sent when.
 */
const notified = (
  action: string,
  entity: string,
  idColumn: typeof classSessions.sessionId | typeof cameras.cameraId,
  since?: typeof cameras.lastSeenAt,
) =>
  sql`NOT EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.action} = ${action} AND ${auditLog.entity} = ${entity} AND ${auditLog.entityId} = ${idColumn}${since ? sql` AND ${auditLog.createdAt} >= ${since}` : sql``})`;

export type ClosedSession = {
  sessionId: string;
  courseId: string;
  courseCode: string;
  courseName: string;
  startsAt: Date;
  endsAt: Date;
};

/** Sessions over (closed, or past their end) within `lookbackMs` and not yet announced; cancelled ones never. */
export async function listUnannouncedClosedSessions(now: Date, lookbackMs: number): Promise<ClosedSession[]> {
  const since = new Date(now.getTime() - lookbackMs);
  return runDb('notify.closedSessions', (db) =>
    db
      .select({
        sessionId: classSessions.sessionId,
        courseId: classSessions.courseId,
        courseCode: courses.code,
        courseName: courses.courseName,
        startsAt: classSessions.startsAt,
        endsAt: classSessions.endsAt,
      })
      .from(classSessions)
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(
        and(
          ne(classSessions.status, 'cancelled'),
          or(
            and(eq(classSessions.status, 'closed'), gt(classSessions.closedAt, since)),
            and(lt(classSessions.endsAt, now), gt(classSessions.endsAt, since)),
          ),
          notified('notification.session_closed', 'session', classSessions.sessionId),
        ),
      )
      .limit(100),
  );
}

/** Present / late / absent of a session; enrolled students without a row count as absent. */
export async function sessionAttendanceCounts(sessionId: string, courseId: string): Promise<AttendanceCounts> {
  const { excused: _excused, ...counts } = await countsWithExcused(sessionId, courseId);
  return counts;
}

/** As sessionAttendanceCounts, plus the excused (neither present nor absent). */
async function countsWithExcused(sessionId: string, courseId: string): Promise<AttendanceCounts & { excused: number }> {
  return runDb('notify.counts', async (db) => {
    const [enrolled] = await db
      .select({ n: sql<number>`count(*)` })
      .from(courseEnrollments)
      .where(eq(courseEnrollments.courseId, courseId));
    const rows = await db
      .select({ status: attendances.status, n: sql<number>`count(*)` })
      .from(attendances)
      .where(eq(attendances.sessionId, sessionId))
      .groupBy(attendances.status);
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
    const present = (by.present ?? 0) + (by.manual ?? 0);
    const late = by.late ?? 0;
    const recorded = rows.reduce((n, r) => n + Number(r.n), 0) - (by.absent ?? 0);
    return {
      enrolled: Number(enrolled?.n ?? 0),
      present,
      late,
      absent: Math.max(0, Number(enrolled?.n ?? 0) - recorded),
      excused: by.excused ?? 0,
    };
  });
}

export type OfflineCamera = { cameraId: string; name: string; room: string | null; lastSeenAt: Date };

/** Cameras unseen since `cutoff` and not announced since they were last seen (one message per outage). */
export async function listUnannouncedOfflineCameras(cutoff: Date): Promise<OfflineCamera[]> {
  return runDb('notify.offlineCameras', async (db) => {
    const rows = await db
      .select({ cameraId: cameras.cameraId, name: cameras.name, room: cameras.room, lastSeenAt: cameras.lastSeenAt })
      .from(cameras)
      .where(
        and(
          isNotNull(cameras.lastSeenAt),
          lt(cameras.lastSeenAt, cutoff),
          notified('notification.camera_offline', 'camera', cameras.cameraId, cameras.lastSeenAt),
        ),
      )
      .limit(100);
    return rows.map((r) => ({ ...r, lastSeenAt: r.lastSeenAt as Date }));
  });
}

export type Arrival = {
  sessionId: string;
  courseId: string;
  courseCode: string;
  studentId: string;
  studentName: string;
  status: string;
  at: Date;
  createdAt: Date;
};

/** Attendance rows created after `after` (the watcher's high-water mark), oldest first. */
export async function listArrivalsSince(after: Date, limit = 200): Promise<Arrival[]> {
  return runDb('notify.arrivals', (db) =>
    db
      .select({
        sessionId: attendances.sessionId,
        courseId: classSessions.courseId,
        courseCode: courses.code,
        studentId: attendances.studentId,
        studentName: students.name,
        status: attendances.status,
        at: attendances.timestamp,
        createdAt: attendances.createdAt,
      })
      .from(attendances)
      .innerJoin(students, eq(students.studentId, attendances.studentId))
      .innerJoin(classSessions, eq(classSessions.sessionId, attendances.sessionId))
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(gt(attendances.createdAt, after))
      .orderBy(attendances.createdAt)
      .limit(limit),
  );
}

/**
 * The day's sessions (starting in [dayStart, dayEnd), not cancelled) of one course, or of every course
 * of one lecturer, with counts and unknown faces still to review: a digest's content. Counts only.
 */
export async function listDigestSessions(
  owner: { courseId: string | null; userId: string | null },
  dayStart: Date,
  dayEnd: Date,
  now: Date,
): Promise<DigestSession[]> {
  const rows = await runDb('notify.digestSessions', (db) =>
    db
      .select({
        sessionId: classSessions.sessionId,
        courseId: classSessions.courseId,
        courseCode: courses.code,
        courseName: courses.courseName,
        startsAt: classSessions.startsAt,
        endsAt: classSessions.endsAt,
        status: classSessions.status,
        unknownWaiting: sql<number>`(SELECT count(*) FROM ${unknownFaces} WHERE ${unknownFaces.sessionId} = ${classSessions.sessionId} AND ${unknownFaces.reviewed} = false)`,
      })
      .from(classSessions)
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(
        and(
          ne(classSessions.status, 'cancelled'),
          gte(classSessions.startsAt, dayStart),
          lt(classSessions.startsAt, dayEnd),
          owner.courseId ? eq(classSessions.courseId, owner.courseId) : eq(courses.lecturerId, owner.userId ?? ''),
        ),
      )
      .orderBy(classSessions.startsAt, courses.code)
      .limit(100),
  );
  const out: DigestSession[] = [];
  for (const r of rows) {
    const status = r.status === 'closed' || r.endsAt <= now ? 'over' : r.startsAt > now ? 'upcoming' : 'running';
    out.push({
      courseCode: r.courseCode,
      courseName: r.courseName,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      status,
      counts: await countsWithExcused(r.sessionId, r.courseId),
      unknownWaiting: Number(r.unknownWaiting),
    });
  }
  return out;
}
