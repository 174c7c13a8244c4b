import 'server-only';
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { attendances, classSessions, courseEnrollments, courses, students } from '@/db/schema';
import { countedSessionsWhere } from '@/lib/data/counted-sessions';
import { ATTENDED_STATUSES } from './session-admin';

export interface ReportQuery {
  from: string;
  to: string;
  courseId?: string;
  /** Only this lecturer's courses; null for admins. */
  lecturerId: string | null;
  /** Sessions that started after this are not counted yet (default: now). */
  now?: Date;
}

export interface StudentRate {
  courseId: string;
  courseCode: string;
  studentId: string;
  studentNumber: string | null;
  name: string;
  sessions: number;
  attended: number;
  /** attended / sessions, 0..1; null when the course had no session in the range. */
  rate: number | null;
}

export interface CourseRate {
  courseId: string;
  courseCode: string;
  courseName: string;
  sessions: number;
  enrolled: number;
  attended: number;
  rate: number | null;
}

export interface AttendanceReport {
  courses: CourseRate[];
  students: StudentRate[];
}

/**
 * Attendance rates per course and per (course, student) over [from, to] (local dates, inclusive),
 * over the sessions that count (lib/data/counted-sessions.ts: started, not cancelled).
 * Three grouped queries, each on an index (sessions by date, attendances by session+status,
 * enrolments by course), joined in memory: cheap even with 100k attendance rows.
 */
export async function attendanceReport(q: ReportQuery): Promise<AttendanceReport> {
  return runDb('reports.attendance', async (db) => {
    const courseRows = await db
      .select({ courseId: courses.courseId, code: courses.code, name: courses.courseName })
      .from(courses)
      .where(
        and(
          q.courseId ? eq(courses.courseId, q.courseId) : undefined,
          q.lecturerId ? eq(courses.lecturerId, q.lecturerId) : undefined,
        ),
      )
      .orderBy(asc(courses.code));
    if (courseRows.length === 0) return { courses: [], students: [] };
    const courseIds = courseRows.map((c) => c.courseId);
    const inRange = and(
      inArray(classSessions.courseId, courseIds),
      gte(classSessions.date, q.from),
      lte(classSessions.date, q.to),
      countedSessionsWhere(q.now ?? new Date()),
    );
    const sessionCounts = await db
      .select({ courseId: classSessions.courseId, n: sql<number>`count(*)` })
      .from(classSessions)
      .where(inRange)
      .groupBy(classSessions.courseId);
    const attendedCounts = await db
      .select({ courseId: classSessions.courseId, studentId: attendances.studentId, n: sql<number>`count(*)` })
      .from(attendances)
      .innerJoin(classSessions, eq(classSessions.sessionId, attendances.sessionId))
      .where(and(inRange, inArray(attendances.status, [...ATTENDED_STATUSES])))
      .groupBy(classSessions.courseId, attendances.studentId);
    const enrolled = await db
      .select({
        courseId: courseEnrollments.courseId,
        studentId: students.studentId,
        studentNumber: students.studentNumber,
        name: students.name,
      })
      .from(courseEnrollments)
      .innerJoin(students, eq(students.studentId, courseEnrollments.studentId))
      .where(inArray(courseEnrollments.courseId, courseIds))
      .orderBy(asc(students.name));

    const sessionsBy = new Map(sessionCounts.map((r) => [r.courseId, Number(r.n)]));
    const attendedBy = new Map(attendedCounts.map((r) => [`${r.courseId}:${r.studentId}`, Number(r.n)]));
    const codeBy = new Map(courseRows.map((c) => [c.courseId, c.code]));
    const studentRates: StudentRate[] = enrolled.map((e) => {
      const sessions = sessionsBy.get(e.courseId) ?? 0;
      const attended = attendedBy.get(`${e.courseId}:${e.studentId}`) ?? 0;
      return {
        ...e,
        courseCode: codeBy.get(e.courseId) ?? '',
        sessions,
        attended,
        rate: sessions > 0 ? Math.min(1, attended / sessions) : null,
      };
    });
    const courseRates: CourseRate[] = courseRows.map((c) => {
      const mine = studentRates.filter((s) => s.courseId === c.courseId);
      const sessions = sessionsBy.get(c.courseId) ?? 0;
      const attended = mine.reduce((sum, s) => sum + s.attended, 0);
      const possible = sessions * mine.length;
      return {
        courseId: c.courseId,
        courseCode: c.code,
        courseName: c.name,
        sessions,
        enrolled: mine.length,
        attended,
        rate: possible > 0 ? Math.min(1, attended / possible) : null,
      };
    });
    return { courses: courseRates, students: studentRates };
  });
}
