import 'server-only';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { attendances, classSessions, courseEnrollments, courses, students, users, type Course } from '@/db/schema';
import { AppError, localized } from '@/lib/errors';
import { audited, insertAudit } from './audit';
import { getCourseOrThrow } from './courses';

export interface CourseListRow extends Course {
  lecturerName: string | null;
  enrolled: number;
  sessions: number;
}

/** Courses with lecturer and counts; `lecturerId` limits the list to that lecturer's courses. */
export async function listCoursesWithCounts(lecturerId: string | null): Promise<CourseListRow[]> {
  return runDb('courses.listWithCounts', async (db) => {
    const rows = await db
      .select({
        course: courses,
        lecturerName: users.name,
        enrolled: sql<number>`(select count(*) from ${courseEnrollments} where ${courseEnrollments.courseId} = ${courses.courseId})`,
        sessions: sql<number>`(select count(*) from ${classSessions} where ${classSessions.courseId} = ${courses.courseId})`,
      })
      .from(courses)
      .leftJoin(users, eq(users.userId, courses.lecturerId))
      .where(lecturerId ? eq(courses.lecturerId, lecturerId) : undefined)
      .orderBy(asc(courses.code));
    return rows.map((r) => ({
      ...r.course,
      lecturerName: r.lecturerName,
      enrolled: Number(r.enrolled),
      sessions: Number(r.sessions),
    }));
  });
}

export async function updateCourse(
  courseId: string,
  patch: Partial<Pick<Course, 'code' | 'courseName' | 'lecturerId' | 'room'>>,
  actorUserId: string | null,
): Promise<Course> {
  await getCourseOrThrow(courseId);
  if (patch.lecturerId) {
    const [lecturer] = await runDb('users.lecturerCheck', (db) =>
      db.select({ role: users.role }).from(users).where(eq(users.userId, patch.lecturerId!)).limit(1),
    );
    if (!lecturer)
      throw new AppError('VALIDATION', localized('error.noSuchLecturer'), {
        fields: { lecturerId: localized('error.noSuchLecturer') },
      });
  }
  await audited(
    'courses.update',
    { actorUserId, action: 'course.update', entity: 'courses', entityId: courseId, details: patch },
    async (tx) => {
      if (Object.keys(patch).length > 0) await tx.update(courses).set(patch).where(eq(courses.courseId, courseId));
    },
  );
  return getCourseOrThrow(courseId);
}

export interface LecturerOption {
  userId: string;
  name: string;
  email: string;
}

/** Users a course can be assigned to (lecturers, and admins who also teach). */
export async function listLecturers(): Promise<LecturerOption[]> {
  return runDb('users.lecturers', (db) =>
    db.select({ userId: users.userId, name: users.name, email: users.email }).from(users).orderBy(asc(users.name)),
  );
}

export interface BulkEnrollResult {
  added: number;
  alreadyEnrolled: number;
  /** Student numbers / ids that matched no student. */
  notFound: string[];
}

/**
 * Enrols many students at once by student number or id (one list, as pasted by an admin).
 * Existing enrolments are left alone (INSERT IGNORE on the unique pair).
 */
export async function bulkEnroll(
  courseId: string,
  keys: string[],
  actorUserId: string | null,
): Promise<BulkEnrollResult> {
  await getCourseOrThrow(courseId);
  const wanted = [...new Set(keys.map((k) => k.trim()).filter(Boolean))];
  if (wanted.length === 0) return { added: 0, alreadyEnrolled: 0, notFound: [] };
  return runDb('courses.bulkEnroll', (pool) =>
    pool.transaction(async (db) => {
      const found = await db
        .select({ studentId: students.studentId, studentNumber: students.studentNumber })
        .from(students)
        .where(or(inArray(students.studentNumber, wanted), inArray(students.studentId, wanted)));
      // Student numbers compare without case everywhere (the column's collation does, and so must this).
      const matched = new Set(found.flatMap((s) => [s.studentId, s.studentNumber ?? ''].map((k) => k.toLowerCase())));
      const notFound = wanted.filter((k) => !matched.has(k.toLowerCase()));
      const ids = [...new Set(found.map((s) => s.studentId))];
      const existing =
        ids.length === 0
          ? []
          : await db
              .select({ studentId: courseEnrollments.studentId })
              .from(courseEnrollments)
              .where(and(eq(courseEnrollments.courseId, courseId), inArray(courseEnrollments.studentId, ids)));
      const have = new Set(existing.map((e) => e.studentId));
      const toAdd = ids.filter((id) => !have.has(id));
      if (toAdd.length > 0) {
        await db
          .insert(courseEnrollments)
          .values(toAdd.map((studentId) => ({ enrollmentId: crypto.randomUUID(), courseId, studentId })))
          .onDuplicateKeyUpdate({ set: { courseId } });
      }
      await insertAudit(db, {
        actorUserId,
        action: 'course.enroll',
        entity: 'courses',
        entityId: courseId,
        details: { added: toAdd.length, notFound: notFound.length },
      });
      return { added: toAdd.length, alreadyEnrolled: have.size, notFound };
    }),
  );
}

export interface CourseDependents {
  sessions: number;
  attendances: number;
}

export async function countCourseDependents(courseId: string): Promise<CourseDependents> {
  return runDb('courses.dependents', async (db) => {
    const [s] = await db
      .select({ n: sql<number>`count(*)` })
      .from(classSessions)
      .where(eq(classSessions.courseId, courseId));
    const [a] = await db
      .select({ n: sql<number>`count(*)` })
      .from(attendances)
      .innerJoin(classSessions, eq(classSessions.sessionId, attendances.sessionId))
      .where(eq(classSessions.courseId, courseId));
    return { sessions: Number(s?.n ?? 0), attendances: Number(a?.n ?? 0) };
  });
}

/**
 * Deletes a course with its enrolments and notification routes. A course with sessions is only
 * deleted with `cascade` (its sessions and their attendance go too — a semester's record, so the
 * caller must ask); otherwise CONFLICT with the counts and what to do.
 */
export async function deleteCourse(
  courseId: string,
  opts: { cascade?: boolean },
  actorUserId: string | null,
): Promise<{ course: Course } & CourseDependents> {
  const course = await getCourseOrThrow(courseId);
  const dependents = await countCourseDependents(courseId);
  if (dependents.sessions > 0 && !opts.cascade) {
    throw new AppError('CONFLICT', localized('error.courseHasSessions', { code: course.code, ...dependents }), {
      details: { ...dependents, cascade: true },
    });
  }
  // The database cascades course → sessions → attendance, enrolments and notification routes.
  await audited(
    'courses.delete',
    {
      actorUserId,
      action: 'course.delete',
      entity: 'courses',
      entityId: courseId,
      details: { code: course.code, courseName: course.courseName, ...dependents },
    },
    async (tx) => {
      await tx.delete(courses).where(eq(courses.courseId, courseId));
    },
  );
  return { course, ...dependents };
}

/** Removes one enrolment (past attendance stays); false when the student was not enrolled (nothing is audited). */
export async function unenroll(courseId: string, studentId: string, actorUserId: string | null): Promise<boolean> {
  return runDb('courses.unenroll', (db) =>
    db.transaction(async (tx) => {
      const [res] = await tx
        .delete(courseEnrollments)
        .where(and(eq(courseEnrollments.courseId, courseId), eq(courseEnrollments.studentId, studentId)));
      if (res.affectedRows === 0) return false;
      const [student] = await tx
        .select({ name: students.name, studentNumber: students.studentNumber })
        .from(students)
        .where(eq(students.studentId, studentId));
      await insertAudit(tx, {
        actorUserId,
        action: 'course.unenroll',
        entity: 'courses',
        entityId: courseId,
        details: { studentId, name: student?.name ?? null, studentNumber: student?.studentNumber ?? null },
      });
      return true;
    }),
  );
}

/** Courses without a lecturer, for the overview's "needs attention" hint. */
export async function countUnassignedCourses(): Promise<number> {
  const [row] = await runDb('courses.unassigned', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(courses)
      .where(isNull(courses.lecturerId)),
  );
  return Number(row?.n ?? 0);
}
