import 'server-only';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { courseEnrollments, faceTemplates, type FaceTemplate } from '@/db/schema';

/** One enrolled template as the pipeline's gallery needs it: who, and the stored bytes. */
export interface GalleryTemplate {
  studentId: string;
  /** Exactly the bytes the embedder produced (`FaceTemplate.data`); Buffer is a Uint8Array. */
  data: Buffer;
}

/**
 * Every template of the students enrolled in `courseId` made by `model`/`version`. Templates from
 * another model or version are left out: they cannot be compared with this engine's probes.
 * Ordered by student then creation, so galleries build the same way on every start.
 */
export async function listTemplatesForCourse(
  courseId: string,
  model: string,
  version: string,
): Promise<GalleryTemplate[]> {
  return runDb('faceTemplates.listForCourse', (db) =>
    db
      .select({ studentId: faceTemplates.studentId, data: faceTemplates.embedding })
      .from(faceTemplates)
      .innerJoin(courseEnrollments, eq(courseEnrollments.studentId, faceTemplates.studentId))
      .where(
        and(
          eq(courseEnrollments.courseId, courseId),
          eq(faceTemplates.model, model),
          eq(faceTemplates.modelVersion, version),
        ),
      )
      .orderBy(asc(faceTemplates.studentId), asc(faceTemplates.createdAt)),
  );
}

export async function listTemplatesForStudent(studentId: string): Promise<FaceTemplate[]> {
  return runDb('faceTemplates.listForStudent', (db) =>
    db.select().from(faceTemplates).where(eq(faceTemplates.studentId, studentId)).orderBy(asc(faceTemplates.createdAt)),
  );
}

/**
 * The templates `model`/`version` made from `studentId`'s enrolment photos, oldest first: what the
 * photo consistency check compares. Templates without a photo (a reviewed unknown face) are left out.
 */
export async function listPhotoTemplatesForStudent(
  studentId: string,
  model: string,
  version: string,
): Promise<Array<{ photoId: string; data: Buffer }>> {
  const rows = await runDb('faceTemplates.listPhotoTemplatesForStudent', (db) =>
    db
      .select({ photoId: faceTemplates.photoId, data: faceTemplates.embedding })
      .from(faceTemplates)
      .where(
        and(
          eq(faceTemplates.studentId, studentId),
          eq(faceTemplates.model, model),
          eq(faceTemplates.modelVersion, version),
          isNotNull(faceTemplates.photoId),
        ),
      )
      .orderBy(asc(faceTemplates.createdAt), asc(faceTemplates.templateId)),
  );
  return rows.flatMap((r) => (r.photoId ? [{ photoId: r.photoId, data: r.data }] : []));
}

export async function findTemplateForPhoto(photoId: string): Promise<FaceTemplate | undefined> {
  return runDb('faceTemplates.findForPhoto', async (db) => {
    const [row] = await db.select().from(faceTemplates).where(eq(faceTemplates.photoId, photoId)).limit(1);
    return row;
  });
}

export async function countTemplatesForStudent(studentId: string): Promise<number> {
  const [row] = await runDb('faceTemplates.countForStudent', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(faceTemplates)
      .where(eq(faceTemplates.studentId, studentId)),
  );
  return Number(row?.n ?? 0);
}
