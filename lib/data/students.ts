import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendances,
  courseEnrollments,
  courses,
  students,
  type Course,
  type NewStudent,
  type Student,
} from '@/db/schema';
import { AppError, localized } from '@/lib/errors';
import { audited, insertAudit } from './audit';

export type StudentInput = Pick<NewStudent, 'name' | 'studentNumber' | 'email' | 'photo'>;

export async function createStudent(input: StudentInput, actorUserId: string | null): Promise<Student> {
  const studentId = crypto.randomUUID();
  await audited(
    'students.create',
    { actorUserId, action: 'student.create', entity: 'students', entityId: studentId, details: { name: input.name } },
    async (tx) => {
      await tx.insert(students).values({ ...input, studentId });
    },
  );
  return getStudentOrThrow(studentId);
}

export async function getStudent(studentId: string): Promise<Student | undefined> {
  return runDb('students.get', async (db) => {
    const [row] = await db.select().from(students).where(eq(students.studentId, studentId)).limit(1);
    return row;
  });
}

export async function getStudentOrThrow(studentId: string): Promise<Student> {
  const student = await getStudent(studentId);
  if (!student) throw new AppError('NOT_FOUND', localized('error.notFound.student'), { details: { studentId } });
  return student;
}

export async function findStudentByNumber(studentNumber: string): Promise<Student | undefined> {
  return runDb('students.findByNumber', async (db) => {
    const [row] = await db.select().from(students).where(eq(students.studentNumber, studentNumber)).limit(1);
    return row;
  });
}

/** Inserts the student unless one with the same student number exists; returns the stored row. */
export async function ensureStudentByNumber(
  input: StudentInput & { studentNumber: string },
): Promise<{ student: Student; created: boolean }> {
  const existing = await findStudentByNumber(input.studentNumber);
  if (existing) return { student: existing, created: false };
  const studentId = crypto.randomUUID();
  await runDb('students.ensure', (db) =>
    db
      .insert(students)
      .values({ ...input, studentId })
      .onDuplicateKeyUpdate({ set: { studentNumber: input.studentNumber } }),
  );
  const student = await findStudentByNumber(input.studentNumber);
  if (!student) throw new Error(`student ${input.studentNumber} vanished after insert`);
  return { student, created: student.studentId === studentId };
}

export async function listStudents(): Promise<Student[]> {
  return runDb('students.list', (db) => db.select().from(students).orderBy(asc(students.name)));
}

export type StudentPatch = Partial<Pick<Student, 'name' | 'studentNumber' | 'email'>>;

/** Changes name, number or email; a number another student has is a CONFLICT on `studentNumber`. */
export async function updateStudent(
  studentId: string,
  patch: StudentPatch,
  actorUserId: string | null,
): Promise<Student> {
  await getStudentOrThrow(studentId);
  await audited(
    'students.update',
    { actorUserId, action: 'student.update', entity: 'student', entityId: studentId, details: patch },
    async (tx) => {
      // A new number or e-mail may link another campus person: the student's signed-in sessions end.
      const relinked = 'studentNumber' in patch || 'email' in patch;
      if (Object.keys(patch).length > 0)
        await tx
          .update(students)
          .set(relinked ? { ...patch, sessionVersion: sql`${students.sessionVersion} + 1` } : patch)
          .where(eq(students.studentId, studentId));
    },
  );
  return getStudentOrThrow(studentId);
}

export async function countAttendancesOfStudent(studentId: string): Promise<number> {
  const [row] = await runDb('students.attendanceCount', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(attendances)
      .where(eq(attendances.studentId, studentId)),
  );
  return Number(row?.n ?? 0);
}

/**
 * Deletes the student row; the database removes their enrolments and attendance rows with it (ON
 * DELETE CASCADE). Biometric rows and files are erased first by the caller (lib/enrollment), which
 * also decides whether attendance may go. Returns how many attendance rows went.
 */
/**
 * Deletes the student row (the database cascades enrolments and attendance) with its 'student.delete'
 * audit entry: `audit.details` plus the counts of what went.
 */
export async function deleteStudentRow(
  studentId: string,
  audit: { actorUserId: string | null; details: Record<string, unknown> },
): Promise<{ attendances: number; enrollments: number }> {
  return runDb('students.delete', (db) =>
    db.transaction(async (tx) => {
      const [a] = await tx
        .select({ n: sql<number>`count(*)` })
        .from(attendances)
        .where(eq(attendances.studentId, studentId));
      const [e] = await tx
        .select({ n: sql<number>`count(*)` })
        .from(courseEnrollments)
        .where(eq(courseEnrollments.studentId, studentId));
      const [res] = await tx.delete(students).where(eq(students.studentId, studentId));
      if (res.affectedRows === 0)
        throw new AppError('NOT_FOUND', localized('error.notFound.student'), { details: { studentId } });
      const removed = { attendances: Number(a?.n ?? 0), enrollments: Number(e?.n ?? 0) };
      await insertAudit(tx, {
        actorUserId: audit.actorUserId,
        action: 'student.delete',
        entity: 'student',
        entityId: studentId,
        details: { ...audit.details, ...removed },
      });
      return removed;
    }),
  );
}

/** The courses a student is enrolled in (student page). */
export async function listCoursesOfStudent(studentId: string): Promise<Course[]> {
  return runDb('students.courses', async (db) => {
    const rows = await db
      .select({ course: courses })
      .from(courseEnrollments)
      .innerJoin(courses, eq(courses.courseId, courseEnrollments.courseId))
      .where(eq(courseEnrollments.studentId, studentId))
      .orderBy(asc(courses.code));
    return rows.map((r) => r.course);
  });
}

/** Students without any face template (they cannot be recognised): all of them, or those enrolled in `lecturerId`'s courses. */
export async function countStudentsWithoutTemplates(lecturerId: string | null): Promise<number> {
  const [row] = await runDb('students.withoutTemplates', (db) =>
    db
      .select({ n: sql<number>`count(distinct ${students.studentId})` })
      .from(students)
      .leftJoin(courseEnrollments, eq(courseEnrollments.studentId, students.studentId))
      .leftJoin(courses, eq(courses.courseId, courseEnrollments.courseId))
      .where(
        sql`not exists (select 1 from face_templates ft where ft.student_id = ${students.studentId})${lecturerId ? sql` and ${courses.lecturerId} = ${lecturerId}` : sql``}`,
      ),
  );
  return Number(row?.n ?? 0);
}
