import 'server-only';
import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { countedSessionsWhere } from '@/lib/data/counted-sessions';
import { attendances, classSessions, courseEnrollments, students, type AttendanceStatus } from '@/db/schema';

/** One cell of the matrix: P present (or marked present by hand), L late, E excused, A absent or not seen. */
export type Mark = 'P' | 'L' | 'E' | 'A';

const MARK_OF: Record<AttendanceStatus, Mark> = { present: 'P', manual: 'P', late: 'L', excused: 'E', absent: 'A' };
/** P, L and E count as attended, as in the per-course report (ATTENDED_STATUSES). */
const ATTENDED: ReadonlySet<Mark> = new Set(['P', 'L', 'E']);

export interface MatrixSession {
  sessionId: string;
  date: string;
  startsAt: Date;
  room: string | null;
  attended: number;
  enrolled: number;
  /** attended / enrolled; null without enrolled students. */
  rate: number | null;
}

export interface MatrixStudent {
  studentId: string;
  studentNumber: string | null;
  name: string;
  /** One mark per session, in the order of `sessions`. */
  marks: Mark[];
  attended: number;
  /** attended / sessions; null without sessions. */
  rate: number | null;
}

export interface SessionMatrix {
  sessions: MatrixSession[];
  students: MatrixStudent[];
  /** All marks attended / all cells; null for an empty matrix. */
  rate: number | null;
}

/**
 * Students × sessions of one course over [from, to] (local dates, inclusive). Only the sessions that
 * count (lib/data/counted-sessions.ts: started by `now`, not cancelled) are columns; the students
 * are those enrolled now. Three indexed queries joined in memory.
 */
export async function sessionMatrix(q: {
  courseId: string;
  from: string;
  to: string;
  now?: Date;
}): Promise<SessionMatrix> {
  const now = q.now ?? new Date();
  return runDb('reports.sessionMatrix', async (db) => {
    const sessionRows = await db
      .select({
        sessionId: classSessions.sessionId,
        date: classSessions.date,
        startsAt: classSessions.startsAt,
        room: classSessions.room,
      })
      .from(classSessions)
      .where(
        and(
          eq(classSessions.courseId, q.courseId),
          gte(classSessions.date, q.from),
          lte(classSessions.date, q.to),
          countedSessionsWhere(now),
        ),
      )
      .orderBy(asc(classSessions.startsAt));
    const enrolled = await db
      .select({ studentId: students.studentId, studentNumber: students.studentNumber, name: students.name })
      .from(courseEnrollments)
      .innerJoin(students, eq(students.studentId, courseEnrollments.studentId))
      .where(eq(courseEnrollments.courseId, q.courseId))
      .orderBy(asc(students.name), asc(students.studentNumber));
    const sessionIds = sessionRows.map((s) => s.sessionId);
    const marks =
      sessionIds.length === 0
        ? []
        : await db
            .select({ sessionId: attendances.sessionId, studentId: attendances.studentId, status: attendances.status })
            .from(attendances)
            .where(inArray(attendances.sessionId, sessionIds));

    const markBy = new Map(marks.map((m) => [`${m.sessionId}:${m.studentId}`, MARK_OF[m.status]]));
    const studentRows: MatrixStudent[] = enrolled.map((e) => {
      const row = sessionRows.map((s) => markBy.get(`${s.sessionId}:${e.studentId}`) ?? 'A');
      const attended = row.filter((m) => ATTENDED.has(m)).length;
      return { ...e, marks: row, attended, rate: row.length > 0 ? attended / row.length : null };
    });
    const sessions: MatrixSession[] = sessionRows.map((s, i) => {
      const attended = studentRows.filter((st) => ATTENDED.has(st.marks[i]!)).length;
      return {
        ...s,
        attended,
        enrolled: studentRows.length,
        rate: studentRows.length > 0 ? attended / studentRows.length : null,
      };
    });
    const cells = sessions.length * studentRows.length;
    const attendedCells = studentRows.reduce((n, s) => n + s.attended, 0);
    return { sessions, students: studentRows, rate: cells > 0 ? attendedCells / cells : null };
  });
}
