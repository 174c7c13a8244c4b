import 'server-only';
import { and, eq, gte, inArray, lte, ne, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { classSessions, courseEnrollments, courses, faceTemplates, students, type ClassSession } from '@/db/schema';

/** The camera pipeline's reads (the gallery's templates: face-templates.ts; session writes: sessions.ts). */

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
