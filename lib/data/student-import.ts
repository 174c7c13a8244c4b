import 'server-only';
import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { attendances, courses, faceTemplates, students, type Course, type Student } from '@/db/schema';
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
  return runDb('studentImport.byName', (db) =>
    db.select().from(students).where(eq(students.name, name)).orderBy(asc(students.createdAt)),
  );
}

export interface ImportedStudentInput {
  /** Chosen by the importer (student.json's `student_id`) or generated. */
  studentId: string;
  name: string;
  studentNumber?: string | null;
  email?: string | null;
}

/** Inserts the student unless the id exists (then nothing changes); returns the stored row. */
export async function ensureStudentWithId(
  input: ImportedStudentInput,
): Promise<{ student: Student; created: boolean }> {
  const existing = await getStudent(input.studentId);
  if (existing) return { student: existing, created: false };
  await runDb('studentImport.ensure', (db) =>
    db
      .insert(students)
      .values({
        studentId: input.studentId,
        name: input.name,
        studentNumber: input.studentNumber ?? null,
        email: input.email ?? null,
      })
      .onDuplicateKeyUpdate({ set: { studentId: input.studentId } }),
  );
  const student = await getStudent(input.studentId);
  if (!student) throw new Error(`student ${input.studentId} vanished after insert`);
  return { student, created: true };
}

/** IN lists stay well under the server's packet and placeholder limits. */
const CHUNK = 1000;
async function chunked<T, R>(items: T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
  return out;
}

/** Students with any of these numbers (the column's collation compares them without case). */
export async function findStudentsByNumbers(numbers: string[]): Promise<Student[]> {
  return chunked([...new Set(numbers)], (part) =>
    runDb('studentImport.byNumbers', (db) => db.select().from(students).where(inArray(students.studentNumber, part))),
  );
}

export async function findCoursesByCodes(codes: string[]): Promise<Course[]> {
  return chunked([...new Set(codes)], (part) =>
    runDb('studentImport.coursesByCodes', (db) => db.select().from(courses).where(inArray(courses.code, part))),
  );
}

/** How many face templates (any model) each of these students has; students without any are absent. */
export async function countTemplatesByStudent(studentIds: string[]): Promise<Map<string, number>> {
  const rows = await chunked([...new Set(studentIds)], (part) =>
    runDb('studentImport.templateCounts', (db) =>
      db
        .select({ studentId: faceTemplates.studentId, n: sql<number>`count(*)` })
        .from(faceTemplates)
        .where(inArray(faceTemplates.studentId, part))
        .groupBy(faceTemplates.studentId),
    ),
  );
  return new Map(rows.map((r) => [r.studentId, Number(r.n)]));
}

export type StudentChange = 'created' | 'updated' | 'unchanged';

/**
 * The roster's upsert: the student with this number, created when missing; its name (and email, when
 * the roster gives one) set to the roster's. A second call with the same values changes nothing.
 */
export async function upsertStudentByNumber(input: {
  studentNumber: string;
  name: string;
  email: string | null;
}): Promise<{ student: Student; change: StudentChange }> {
  const [existing] = await findStudentsByNumbers([input.studentNumber]);
  if (existing) {
    const email = input.email ?? existing.email;
    if (existing.name === input.name && existing.email === email) return { student: existing, change: 'unchanged' };
    await runDb('studentImport.update', (db) =>
      db.update(students).set({ name: input.name, email }).where(eq(students.studentId, existing.studentId)),
    );
    const student = await getStudent(existing.studentId);
    if (!student) throw new Error(`student ${existing.studentId} vanished after update`);
    return { student, change: 'updated' };
  }
  const studentId = crypto.randomUUID();
  // A concurrent import of the same number wins the UNIQUE key; this one then reads its row.
  await runDb('studentImport.create', (db) =>
    db
      .insert(students)
      .values({ studentId, studentNumber: input.studentNumber, name: input.name, email: input.email })
      .onDuplicateKeyUpdate({ set: { studentNumber: sql`student_number` } }),
  );
  const [student] = await findStudentsByNumbers([input.studentNumber]);
  if (!student) throw new Error(`student ${input.studentNumber} vanished after insert`);
  return { student, change: student.studentId === studentId ? 'created' : 'unchanged' };
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
      .select({
        studentId: attendances.studentId,
        name: students.name,
        timestamp: attendances.timestamp,
        status: attendances.status,
        confidence: attendances.confidence,
      })
      .from(attendances)
      .innerJoin(students, eq(students.studentId, attendances.studentId))
      .where(eq(attendances.sessionId, sessionId))
      .orderBy(asc(attendances.timestamp), asc(students.name)),
  );
}
