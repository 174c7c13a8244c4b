import 'server-only';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendances,
  cameras,
  courseEnrollments,
  students,
  unknownFaces,
  type Attendance,
  type UnknownFace,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { audited, insertAudit } from './audit';
import { lockAttendanceInSession, writeAttendance } from './attendances';
import { isStudentEnrolled } from './courses';
import { getSessionOrThrow } from './sessions';

/** One attendance row as the live page shows it. */
export interface LiveAttendance {
  attendanceId: string;
  studentId: string;
  studentName: string;
  studentNumber: string | null;
  status: Attendance['status'];
  timestamp: string;
  lastSeen: string;
  confidence: number | null;
  source: Attendance['source'];
  reason: string | null;
  /** Mean liveness score of the track, null when the camera did not check. */
  livenessScore: number | null;
  /** Recorded although it looked like a photo or a screen: waiting for a lecturer's "real" or "spoof". */
  livenessDoubtful: boolean;
  updatedAt: string;
}

export interface RosterStudent {
  studentId: string;
  name: string;
  studentNumber: string | null;
}

const liveColumns = {
  attendanceId: attendances.attendanceId,
  studentId: attendances.studentId,
  studentName: students.name,
  studentNumber: students.studentNumber,
  status: attendances.status,
  timestamp: attendances.timestamp,
  lastSeen: attendances.lastSeen,
  confidence: attendances.confidence,
  source: attendances.source,
  reason: attendances.reason,
  livenessScore: attendances.livenessScore,
  livenessDoubtful: attendances.livenessDoubtful,
  updatedAt: attendances.updatedAt,
};

type LiveRow = { [K in keyof typeof liveColumns]: unknown };

function toLive(r: LiveRow): LiveAttendance {
  const iso = (d: unknown) => (d as Date).toISOString();
  return {
    ...(r as unknown as LiveAttendance),
    timestamp: iso(r.timestamp),
    lastSeen: iso(r.lastSeen),
    updatedAt: iso(r.updatedAt),
    livenessDoubtful: Boolean(r.livenessDoubtful),
  };
}

export async function listEnrolledRoster(courseId: string): Promise<RosterStudent[]> {
  return runDb('live.roster', (db) =>
    db
      .select({ studentId: students.studentId, name: students.name, studentNumber: students.studentNumber })
      .from(courseEnrollments)
      .innerJoin(students, eq(students.studentId, courseEnrollments.studentId))
      .where(eq(courseEnrollments.courseId, courseId))
      .orderBy(asc(students.name)),
  );
}

export async function listLiveAttendance(sessionId: string): Promise<LiveAttendance[]> {
  const rows = await runDb('live.list', (db) =>
    db
      .select(liveColumns)
      .from(attendances)
      .innerJoin(students, eq(students.studentId, attendances.studentId))
      .where(eq(attendances.sessionId, sessionId))
      .orderBy(asc(attendances.timestamp)),
  );
  return rows.map(toLive);
}

export interface AttendanceChanges {
  rows: LiveAttendance[];
  /** Rows in the session now; a drop means something was deleted and the client must resync. */
  count: number;
}

/**
 * Rows changed after `since` (by updated_at, which every write moves) plus the row count.
 * Uses the (session_id, updated_at) index, so polling twice a second stays cheap with many rows.
 */
export async function attendanceChangedSince(sessionId: string, since: Date): Promise<AttendanceChanges> {
  return runDb('live.changes', async (db) => {
    const rows = await db
      .select(liveColumns)
      .from(attendances)
      .innerJoin(students, eq(students.studentId, attendances.studentId))
      .where(and(eq(attendances.sessionId, sessionId), gt(attendances.updatedAt, since)))
      .orderBy(asc(attendances.updatedAt))
      .limit(1000);
    const [c] = await db
      .select({ n: sql<number>`count(*)` })
      .from(attendances)
      .where(eq(attendances.sessionId, sessionId));
    return { rows: rows.map(toLive), count: Number(c?.n ?? 0) };
  });
}

/**
 * Manual mark by a lecturer/admin: sets the student's status for the session whatever the camera saw,
 * with a reason; audited. The worker's later sightings only move last_seen, so the mark sticks.
 */
export async function markAttendanceManually(input: {
  sessionId: string;
  studentId: string;
  status: 'present' | 'absent' | 'late' | 'excused';
  reason: string;
  actorUserId: string;
  now?: Date;
}): Promise<void> {
  const now = input.now ?? new Date();
  const session = await getSessionOrThrow(input.sessionId);
  if (!(await isStudentEnrolled(session.courseId, input.studentId)))
    throw new AppError('VALIDATION', 'The student is not enrolled in this course');
  await audited(
    'live.manualMark',
    {
      actorUserId: input.actorUserId,
      action: 'attendance.manual_mark',
      // entity_id holds one id (36 chars): the session; the student is in the details.
      entity: 'class_sessions',
      entityId: input.sessionId,
      details: { sessionId: input.sessionId, studentId: input.studentId, status: input.status, reason: input.reason },
    },
    async (tx) => {
      await writeAttendance(
        tx,
        {
          sessionId: input.sessionId,
          studentId: input.studentId,
          seenAt: now,
          status: input.status,
          source: 'manual',
          markedBy: input.actorUserId,
          reason: input.reason,
        },
        'overwrite',
      );
    },
  );
}

/** "Not this person": removes a wrong (camera) attendance; the removed row goes into the audit entry. */
export async function removeAttendance(input: {
  sessionId: string;
  attendanceId: string;
  reason: string;
  actorUserId: string;
}): Promise<void> {
  await runDb('live.remove', (db) =>
    db.transaction(async (tx) => {
      const row = await lockAttendanceInSession(tx, input.sessionId, input.attendanceId);
      await tx.delete(attendances).where(eq(attendances.attendanceId, input.attendanceId));
      await insertAudit(tx, {
        actorUserId: input.actorUserId,
        action: 'attendance.not_this_person',
        entity: 'class_sessions',
        entityId: row.sessionId,
        details: {
          removed: { ...row, timestamp: row.timestamp.toISOString(), lastSeen: row.lastSeen.toISOString() },
          reason: input.reason,
        },
      });
    }),
  );
}

/** An unknown face of a session as the API lists it: no storage key (the image has its own route). */
export type UnknownFaceRow = Pick<
  UnknownFace,
  'unknownId' | 'seenAt' | 'reviewed' | 'studentId' | 'kind' | 'matchedStudentId' | 'livenessScore'
> & { cameraName: string | null };

export async function listUnknownFaces(sessionId: string, limit = 100): Promise<UnknownFaceRow[]> {
  return runDb('live.unknown', (db) =>
    db
      .select({
        unknownId: unknownFaces.unknownId,
        seenAt: unknownFaces.seenAt,
        reviewed: unknownFaces.reviewed,
        studentId: unknownFaces.studentId,
        kind: unknownFaces.kind,
        matchedStudentId: unknownFaces.matchedStudentId,
        livenessScore: unknownFaces.livenessScore,
        cameraName: cameras.name,
      })
      .from(unknownFaces)
      .leftJoin(cameras, eq(cameras.cameraId, unknownFaces.cameraId))
      .where(eq(unknownFaces.sessionId, sessionId))
      .orderBy(desc(unknownFaces.seenAt))
      .limit(limit),
  );
}

/** An unknown face as the live page's review queue shows it. */
export interface LiveUnknownFace {
  unknownId: string;
  seenAt: string;
  reviewed: boolean;
  studentId: string | null;
  kind: UnknownFace['kind'];
  matchedStudentId: string | null;
  livenessScore: number | null;
  cameraName: string | null;
}

/** The review queue of a session, newest first, for the page and its live stream. */
export async function listLiveUnknownFaces(sessionId: string, limit = 100): Promise<LiveUnknownFace[]> {
  const rows = await listUnknownFaces(sessionId, limit);
  return rows.map((u) => ({
    ...u,
    seenAt: u.seenAt.toISOString(),
    reviewed: Boolean(u.reviewed),
  }));
}

/** Marks an unknown face reviewed, optionally saying who it was (a student enrolled in the course, as the assign path requires); audited. */
export async function reviewUnknownFace(input: {
  sessionId: string;
  courseId: string;
  unknownId: string;
  studentId: string | null;
  actorUserId: string;
}): Promise<void> {
  if (input.studentId !== null && !(await isStudentEnrolled(input.courseId, input.studentId))) {
    throw new AppError(
      'VALIDATION',
      'That student is not enrolled in this course; enrol them first or pick another student',
    );
  }
  await audited(
    'live.reviewUnknown',
    {
      actorUserId: input.actorUserId,
      action: 'unknown_face.review',
      entity: 'unknown_faces',
      entityId: input.unknownId,
      details: { studentId: input.studentId },
    },
    async (tx) => {
      const [res] = await tx
        .update(unknownFaces)
        .set({ reviewed: true, reviewedBy: input.actorUserId, studentId: input.studentId })
        .where(and(eq(unknownFaces.unknownId, input.unknownId), eq(unknownFaces.sessionId, input.sessionId)));
      if (res.affectedRows === 0) throw new AppError('NOT_FOUND', 'Unknown face not found in this session');
    },
  );
}
