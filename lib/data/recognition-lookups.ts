import 'server-only';
import { and, eq, gte, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { classSessions, courseEnrollments, courses, faceTemplates, students, type ClassSession } from '@/db/schema';

/** The camera pipeline's reads and session bookkeeping (the gallery's templates: face-templates.ts). */

/** Templates of the course's students made by another model or version: they need re-enrolment. */
export async function countStaleTemplatesForCourse(courseId: string, model: string, version: string): Promise<number> {
  const [row] = await runDb('recognition.staleTemplates', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(faceTemplates)
      .innerJoin(courseEnrollments, eq(courseEnrollments.studentId, faceTemplates.studentId))
      .where(
        and(
          eq(courseEnrollments.courseId, courseId),
          or(ne(faceTemplates.model, model), ne(faceTemplates.modelVersion, version)),
        ),
      ),
  );
  return Number(row?.n ?? 0);
}

/** Sessions on these cameras, or in these rooms (every camera of a room feeds its sessions), that overlap [from, to], not cancelled; each with whether its course counts class mood. */
export async function listSessionsForCameras(
  cameraIds: string[],
  from: Date,
  to: Date,
  rooms: string[] = [],
): Promise<Array<ClassSession & { classMood: boolean }>> {
  if (cameraIds.length === 0 && rooms.length === 0) return [];
  const where = [
    ...(cameraIds.length > 0 ? [inArray(classSessions.cameraId, cameraIds)] : []),
    ...(rooms.length > 0 ? [inArray(classSessions.room, rooms)] : []),
  ];
  const rows = await runDb('recognition.sessionsForCameras', (db) =>
    db
      .select({ session: classSessions, classMood: courses.classMood })
      .from(classSessions)
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(
        and(
          or(...where),
          lte(classSessions.startsAt, to),
          gte(classSessions.endsAt, from),
          ne(classSessions.status, 'cancelled'),
        ),
      ),
  );
  return rows.map((r) => ({ ...r.session, classMood: r.classMood }));
}

/** A session the camera started recording: scheduled → open (never reopens a closed one). */
export async function markSessionOpen(sessionId: string): Promise<void> {
  await runDb('recognition.openSession', (db) =>
    db
      .update(classSessions)
      .set({ status: 'open' })
      .where(and(eq(classSessions.sessionId, sessionId), eq(classSessions.status, 'scheduled'))),
  );
}

/**
 * Closes open sessions that have ended — also those left open by a worker that crashed. Returns how
 * many were closed.
 */
export async function closeEndedSessions(now = new Date()): Promise<number> {
  const result = await runDb('recognition.closeEnded', (db) =>
    db
      .update(classSessions)
      .set({ status: 'closed', closedAt: now })
      .where(and(eq(classSessions.status, 'open'), lt(classSessions.endsAt, now))),
  );
  return Number((result[0] as { affectedRows?: number }).affectedRows ?? 0);
}

/** Names of the given students, for the labels of the cameras page's live frame. */
export async function studentNames(studentIds: string[]): Promise<Map<string, string>> {
  if (studentIds.length === 0) return new Map();
  const rows = await runDb('recognition.studentNames', (db) =>
    db
      .select({ id: students.studentId, name: students.name })
      .from(students)
      .where(inArray(students.studentId, studentIds)),
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Per course, a stamp of what its gallery is built from: enrolled students, their templates and the
 * newest template. A change (a student enrolled or removed, a photo enrolled or deleted) changes it.
 */
export async function galleryStamps(courseIds: string[]): Promise<Map<string, string>> {
  if (courseIds.length === 0) return new Map();
  const rows = await runDb('recognition.galleryStamps', (db) =>
    db
      .select({
        courseId: courseEnrollments.courseId,
        enrolled: sql<number>`count(distinct ${courseEnrollments.studentId})`,
        templates: sql<number>`count(${faceTemplates.templateId})`,
        newest: sql<string | null>`max(${faceTemplates.createdAt})`,
      })
      .from(courseEnrollments)
      .leftJoin(faceTemplates, eq(faceTemplates.studentId, courseEnrollments.studentId))
      .where(inArray(courseEnrollments.courseId, courseIds))
      .groupBy(courseEnrollments.courseId),
  );
  const out = new Map(courseIds.map((id) => [id, '0:0:']));
  for (const r of rows) out.set(r.courseId, `${Number(r.enrolled)}:${Number(r.templates)}:${String(r.newest ?? '')}`);
  return out;
}
