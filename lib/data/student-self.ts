/**
 * What a signed-in student may read about themselves (their page /me and their data copy): their own
 * courses, the sessions that count (lib/data/counted-sessions.ts) with their status and time, their
 * disputes, and what biometric data is held. Every query is keyed by the student's own id; nothing here
 * returns another student, a camera, an unknown-face crop or a liveness reading.
 */
import 'server-only';
import { and, asc, desc, eq, min, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendanceDisputes,
  attendances,
  classSessions,
  courseEnrollments,
  courses,
  facePhotos,
  faceTemplates,
  students,
  type AttendanceStatus,
  type DisputeKind,
  type DisputeState,
} from '@/db/schema';
import { countedSessionsWhere } from './counted-sessions';

export interface MySession {
  sessionId: string;
  date: string;
  startsAt: Date;
  endsAt: Date;
  room: string | null;
  /** Absent when the session recorded nothing for them. */
  status: AttendanceStatus;
  /** When they were first seen (or marked); null when absent with no row. */
  at: Date | null;
  source: 'camera' | 'manual' | null;
  dispute: { kind: DisputeKind; state: DisputeState; text: string } | null;
}

export interface MyCourse {
  courseId: string;
  code: string;
  courseName: string;
  sessions: MySession[];
}

/** Their enrolled courses, each with its counted sessions (newest first) and their status in each. */
export async function listMyAttendance(studentId: string, now = new Date()): Promise<MyCourse[]> {
  return runDb('studentSelf.attendance', async (db) => {
    const enrolled = await db
      .select({ courseId: courses.courseId, code: courses.code, courseName: courses.courseName })
      .from(courseEnrollments)
      .innerJoin(courses, eq(courses.courseId, courseEnrollments.courseId))
      .where(eq(courseEnrollments.studentId, studentId))
      .orderBy(asc(courses.code));
    const rows = await db
      .select({
        courseId: classSessions.courseId,
        sessionId: classSessions.sessionId,
        date: classSessions.date,
        startsAt: classSessions.startsAt,
        endsAt: classSessions.endsAt,
        room: classSessions.room,
        status: attendances.status,
        at: attendances.timestamp,
        source: attendances.source,
      })
      .from(classSessions)
      .innerJoin(
        courseEnrollments,
        and(eq(courseEnrollments.courseId, classSessions.courseId), eq(courseEnrollments.studentId, studentId)),
      )
      .leftJoin(
        attendances,
        and(eq(attendances.sessionId, classSessions.sessionId), eq(attendances.studentId, studentId)),
      )
      .where(countedSessionsWhere(now))
      .orderBy(desc(classSessions.startsAt))
      .limit(2000);
    const disputes = await listMyDisputes(studentId);
    // The newest dispute of a session is the one shown.
    const bySession = new Map<string, (typeof disputes)[number]>();
    for (const d of disputes) if (!bySession.has(d.sessionId)) bySession.set(d.sessionId, d);
    return enrolled.map((c) => ({
      ...c,
      sessions: rows
        .filter((r) => r.courseId === c.courseId)
        .map((r) => {
          const d = bySession.get(r.sessionId);
          return {
            sessionId: r.sessionId,
            date: r.date,
            startsAt: r.startsAt,
            endsAt: r.endsAt,
            room: r.room,
            status: r.status ?? 'absent',
            at: r.at,
            source: r.source,
            dispute: d ? { kind: d.kind, state: d.state, text: d.text } : null,
          };
        }),
    }));
  });
}

export interface MyDispute {
  disputeId: string;
  sessionId: string;
  kind: DisputeKind;
  text: string;
  state: DisputeState;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** Their own disputes, newest first. */
export async function listMyDisputes(studentId: string): Promise<MyDispute[]> {
  return runDb('studentSelf.disputes', (db) =>
    db
      .select({
        disputeId: attendanceDisputes.disputeId,
        sessionId: attendanceDisputes.sessionId,
        kind: attendanceDisputes.kind,
        text: attendanceDisputes.text,
        state: attendanceDisputes.state,
        createdAt: attendanceDisputes.createdAt,
        resolvedAt: attendanceDisputes.resolvedAt,
      })
      .from(attendanceDisputes)
      .where(eq(attendanceDisputes.studentId, studentId))
      .orderBy(desc(attendanceDisputes.createdAt)),
  );
}

export interface MyDataSummary {
  name: string;
  studentNumber: string | null;
  email: string | null;
  photos: number;
  templates: number;
  /** When their first enrolment photo was taken in (null: none held). */
  enrolledAt: Date | null;
  erasureRequestedAt: Date | null;
}

/** How much biometric data is held about them, and since when. */
export async function getMyDataSummary(studentId: string): Promise<MyDataSummary | undefined> {
  return runDb('studentSelf.summary', async (db) => {
    const [s] = await db.select().from(students).where(eq(students.studentId, studentId)).limit(1);
    if (!s) return undefined;
    const [p] = await db
      .select({ n: sql<number>`count(*)`, first: min(facePhotos.createdAt) })
      .from(facePhotos)
      .where(eq(facePhotos.studentId, studentId));
    const [t] = await db
      .select({ n: sql<number>`count(*)` })
      .from(faceTemplates)
      .where(eq(faceTemplates.studentId, studentId));
    return {
      name: s.name,
      studentNumber: s.studentNumber,
      email: s.email,
      photos: Number(p?.n ?? 0),
      templates: Number(t?.n ?? 0),
      enrolledAt: p?.first ? new Date(p.first) : null,
      erasureRequestedAt: s.erasureRequestedAt,
    };
  });
}

/** Everything for their data copy (lib/enrollment/student-data-copy.ts): rows only, files are read by the caller. */
export async function readMyDataRows(studentId: string) {
  return runDb('studentSelf.copy', async (db) => {
    const [student] = await db.select().from(students).where(eq(students.studentId, studentId)).limit(1);
    if (!student) return undefined;
    const enrolments = await db
      .select({ code: courses.code, courseName: courses.courseName, enrolledAt: courseEnrollments.createdAt })
      .from(courseEnrollments)
      .innerJoin(courses, eq(courses.courseId, courseEnrollments.courseId))
      .where(eq(courseEnrollments.studentId, studentId))
      .orderBy(asc(courses.code));
    const attendance = await db
      .select({
        sessionId: attendances.sessionId,
        course: courses.code,
        sessionStartsAt: classSessions.startsAt,
        status: attendances.status,
        firstSeen: attendances.timestamp,
        lastSeen: attendances.lastSeen,
        source: attendances.source,
        confidence: attendances.confidence,
        reason: attendances.reason,
      })
      .from(attendances)
      .innerJoin(classSessions, eq(classSessions.sessionId, attendances.sessionId))
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(eq(attendances.studentId, studentId))
      .orderBy(asc(classSessions.startsAt));
    const photos = await db
      .select({
        photoId: facePhotos.photoId,
        storageKey: facePhotos.storageKey,
        contentSha256: facePhotos.contentSha256,
        createdAt: facePhotos.createdAt,
      })
      .from(facePhotos)
      .where(eq(facePhotos.studentId, studentId))
      .orderBy(asc(facePhotos.createdAt));
    const templates = await db
      .select({
        templateId: faceTemplates.templateId,
        photoId: faceTemplates.photoId,
        model: faceTemplates.model,
        createdAt: faceTemplates.createdAt,
      })
      .from(faceTemplates)
      .where(eq(faceTemplates.studentId, studentId))
      .orderBy(asc(faceTemplates.createdAt));
    return { student, enrolments, attendance, photos, templates, disputes: await listMyDisputes(studentId) };
  });
}
