import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { students, type NewStudent, type Student } from '@/db/schema';
import { AppError } from '@/lib/errors';

export type StudentInput = Pick<NewStudent, 'name' | 'studentNumber' | 'email' | 'photo'>;

export async function createStudent(input: StudentInput): Promise<Student> {
  const studentId = crypto.randomUUID();
  await runDb('students.create', (db) => db.insert(students).values({ ...input, studentId }));
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
  if (!student) throw new AppError('NOT_FOUND', `Student ${studentId} not found`);
  return student;
}

export async function findStudentByNumber(studentNumber: string): Promise<Student | undefined> {
  return runDb('students.findByNumber', async (db) => {
    const [row] = await db.select().from(students).where(eq(students.studentNumber, studentNumber)).limit(1);
    return row;
  });
}

/** Inserts the student unless one with the same student number exists; returns the stored row. */
export async function ensureStudentByNumber(input: StudentInput & { studentNumber: string }): Promise<{ student: Student; created: boolean }> {
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
