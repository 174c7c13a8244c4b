import 'server-only';
import { asc, eq, or } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { attendances, students, type Student } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { getStudent } from './students';

/** A student by id, else by student number; AppError NOT_FOUND when neither matches. */
export async function findStudentByIdOrNumberOrThrow(idOrNumber: string): Promise<Student> {
  const rows = await runDb('studentImport.byIdOrNumber', (db) =>
    db
      .select()
      .from(students)
      .where(or(eq(students.studentId, idOrNumber), eq(students.studentNumber, idOrNumber)))
      .limit(2),
  );
  const student = rows.find((s) => s.studentId === idOrNumber) ?? rows[0];
  if (!student) throw new AppError('NOT_FOUND', `No student with id or number "${idOrNumber}"`);
  return student;
}

export async function findStudentsByName(name: string): Promise<Student[]> {
  return runDb('studentImport.byName', (db) => db.select().from(students).where(eq(students.name, name)).orderBy(asc(students.createdAt)));
}

export interface ImportedStudentInput {
  /** Chosen by the importer (student.json's `student_id`) or generated. */
  studentId: string;
  name: string;
  studentNumber?: string | null;
  email?: string | null;
}

/** Inserts the student unless the id exists (then nothing changes); returns the stored row. */
export async function ensureStudentWithId(input: ImportedStudentInput): Promise<{ student: Student; created: boolean }> {
  const existing = await getStudent(input.studentId);
  if (existing) return { student: existing, created: false };
  await runDb('studentImport.ensure', (db) =>
    db
      .insert(students)
      .values({ studentId: input.studentId, name: input.name, studentNumber: input.studentNumber ?? null, email: input.email ?? null })
      .onDuplicateKeyUpdate({ set: { studentId: input.studentId } }),
  );
  const student = await getStudent(input.studentId);
  if (!student) throw new Error(`student ${input.studentId} vanished after insert`);
  return { student, created: true };
}

export interface AttendanceListRow {
  studentId: string;
  name: string;
  timestamp: Date;
  status: string;
  confidence: number | null;
}

/** A session's attendance with student names, first arrivals first. */
export async function listAttendanceWithNames(sessionId: string): Promise<AttendanceListRow[]> {
  return runDb('studentImport.attendanceList', (db) =>
    db
      .select({ studentId: attendances.studentId, name: students.name, timestamp: attendances.timestamp, status: attendances.status, confidence: attendances.confidence })
      .from(attendances)
      .innerJoin(students, eq(students.studentId, attendances.studentId))
      .where(eq(attendances.sessionId, sessionId))
      .orderBy(asc(attendances.timestamp), asc(students.name)),
  );
}
