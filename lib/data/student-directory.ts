import 'server-only';
import { asc, desc, eq, like, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendances,
  classSessions,
  courses,
  facePhotos,
  faceTemplates,
  students,
  type FacePhoto,
  type Student,
} from '@/db/schema';
import { getStudentOrThrow } from './students';

export interface StudentListRow extends Student {
  photos: number;
  templates: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** LIKE pattern for a user's search text; % and _ are escaped so they match literally. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Students by name / number / email, paged on the server (the list can hold thousands). */
export async function searchStudents(opts: {
  q?: string;
  page?: number;
  pageSize?: number;
}): Promise<Page<StudentListRow>> {
  const page = Math.max(1, opts.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, opts.pageSize ?? 25));
  const q = opts.q?.trim();
  const where = q
    ? or(
        like(students.name, likePattern(q)),
        like(students.studentNumber, likePattern(q)),
        like(students.email, likePattern(q)),
      )
    : undefined;
  return runDb('students.search', async (db) => {
    const [count] = await db
      .select({ n: sql<number>`count(*)` })
      .from(students)
      .where(where);
    // Per-student counts as grouped subqueries joined on the student: a correlated `count(*)` written
    // with raw column references lost its table names and counted every student's rows.
    const photoCounts = db
      .select({ studentId: facePhotos.studentId, n: sql<number>`count(*)`.as('photo_n') })
      .from(facePhotos)
      .groupBy(facePhotos.studentId)
      .as('photo_counts');
    const templateCounts = db
      .select({ studentId: faceTemplates.studentId, n: sql<number>`count(*)`.as('template_n') })
      .from(faceTemplates)
      .groupBy(faceTemplates.studentId)
      .as('template_counts');
    const rows = await db
      .select({ student: students, photos: photoCounts.n, templates: templateCounts.n })
      .from(students)
      .leftJoin(photoCounts, eq(photoCounts.studentId, students.studentId))
      .leftJoin(templateCounts, eq(templateCounts.studentId, students.studentId))
      .where(where)
      .orderBy(asc(students.name), asc(students.studentId))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    return {
      rows: rows.map((r) => ({ ...r.student, photos: Number(r.photos ?? 0), templates: Number(r.templates ?? 0) })),
      total: Number(count?.n ?? 0),
      page,
      pageSize,
    };
  });
}

export interface AttendanceHistoryRow {
  sessionId: string;
  date: string;
  startsAt: Date;
  courseCode: string;
  courseName: string;
  status: string;
  timestamp: Date;
  source: string;
}

export interface StudentDetail {
  student: Student;
  photos: Omit<FacePhoto, 'contentSha256'>[];
  templates: number;
  history: AttendanceHistoryRow[];
}

export async function getStudentDetail(studentId: string): Promise<StudentDetail> {
  const student = await getStudentOrThrow(studentId);
  return runDb('students.detail', async (db) => {
    const photos = await db
      .select({
        photoId: facePhotos.photoId,
        studentId: facePhotos.studentId,
        storageKey: facePhotos.storageKey,
        quality: facePhotos.quality,
        accepted: facePhotos.accepted,
        reason: facePhotos.reason,
        createdAt: facePhotos.createdAt,
      })
      .from(facePhotos)
      .where(eq(facePhotos.studentId, studentId))
      .orderBy(desc(facePhotos.createdAt));
    const [t] = await db
      .select({ n: sql<number>`count(*)` })
      .from(faceTemplates)
      .where(eq(faceTemplates.studentId, studentId));
    const history = await db
      .select({
        sessionId: classSessions.sessionId,
        date: classSessions.date,
        startsAt: classSessions.startsAt,
        courseCode: courses.code,
        courseName: courses.courseName,
        status: attendances.status,
        timestamp: attendances.timestamp,
        source: attendances.source,
      })
      .from(attendances)
      .innerJoin(classSessions, eq(classSessions.sessionId, attendances.sessionId))
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(eq(attendances.studentId, studentId))
      .orderBy(desc(attendances.timestamp))
      .limit(200);
    return { student, photos, templates: Number(t?.n ?? 0), history };
  });
}
