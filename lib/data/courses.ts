import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { courseEnrollments, courses, students, type Course, type NewCourse, type Student } from '@/db/schema';
import { AppError, localized } from '@/lib/errors';
import { audited } from './audit';

export type CourseInput = Pick<NewCourse, 'code' | 'courseName' | 'lecturerId' | 'room'>;

export async function getCourseOrThrow(courseId: string): Promise<Course> {
  const course = await runDb('courses.get', async (db) => {
    const [row] = await db.select().from(courses).where(eq(courses.courseId, courseId)).limit(1);
    return row;
  });
  if (!course) throw new AppError('NOT_FOUND', localized('error.notFound.course'), { details: { courseId } });
  return course;
}

export async function findCourseByCode(code: string): Promise<Course | undefined> {
  return runDb('courses.findByCode', async (db) => {
    const [row] = await db.select().from(courses).where(eq(courses.code, code)).limit(1);
    return row;
  });
}

export async function createCourse(input: CourseInput, actorUserId: string | null): Promise<Course> {
  const courseId = crypto.randomUUID();
  await audited(
    'courses.create',
    { actorUserId, action: 'course.create', entity: 'courses', entityId: courseId, details: { code: input.code } },
    async (tx) => {
      await tx.insert(courses).values({ ...input, courseId });
    },
  );
  return getCourseOrThrow(courseId);
}

/** Inserts the course unless its code exists; returns the stored row. */
export async function ensureCourseByCode(input: CourseInput): Promise<{ course: Course; created: boolean }> {
  const existing = await findCourseByCode(input.code);
  if (existing) return { course: existing, created: false };
  const courseId = crypto.randomUUID();
  await runDb('courses.ensure', (db) =>
    db
      .insert(courses)
      .values({ ...input, courseId })
      .onDuplicateKeyUpdate({ set: { code: input.code } }),
  );
  const course = await findCourseByCode(input.code);
  if (!course) throw new Error(`course ${input.code} vanished after insert`);
  return { course, created: course.courseId === courseId };
}

export async function listCourses(): Promise<Course[]> {
  return runDb('courses.list', (db) => db.select().from(courses).orderBy(asc(courses.code)));
}

/** Enrols a student; a second call for the same pair changes nothing. Returns true when newly enrolled. */
export async function enrollStudent(courseId: string, studentId: string): Promise<boolean> {
  const enrollmentId = crypto.randomUUID();
  return runDb('courses.enroll', async (db) => {
    await db
      .insert(courseEnrollments)
      .values({ enrollmentId, courseId, studentId })
      .onDuplicateKeyUpdate({ set: { courseId } });
    const [row] = await db
      .select({ enrollmentId: courseEnrollments.enrollmentId })
      .from(courseEnrollments)
      .where(and(eq(courseEnrollments.courseId, courseId), eq(courseEnrollments.studentId, studentId)));
    return row?.enrollmentId === enrollmentId;
  });
}

/** Whether the student is enrolled in the course: the one enrolment check (worker, manual marks, reviews). */
export async function isStudentEnrolled(courseId: string, studentId: string): Promise<boolean> {
  const rows = await runDb('courses.isEnrolled', (db) =>
    db
      .select({ id: courseEnrollments.enrollmentId })
      .from(courseEnrollments)
      .where(and(eq(courseEnrollments.courseId, courseId), eq(courseEnrollments.studentId, studentId)))
      .limit(1),
  );
  return rows.length > 0;
}

export async function listEnrolledStudents(courseId: string): Promise<Student[]> {
  return runDb('courses.enrolled', async (db) => {
    const rows = await db
      .select({ student: students })
      .from(courseEnrollments)
      .innerJoin(students, eq(students.studentId, courseEnrollments.studentId))
      .where(eq(courseEnrollments.courseId, courseId))
      .orderBy(asc(students.name));
    return rows.map((r) => r.student);
  });
}
