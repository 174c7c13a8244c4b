import 'server-only';
import { and, asc, countDistinct, eq, notExists } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { facePhotos, faceTemplates } from '@/db/schema';
import type { TemplateRecordInput } from './face-photos';

export type PhotoToRebuild = { photoId: string; studentId: string; storageKey: string };

/** Accepted enrollment photos without a template of `model`/`version` (made by another model, or none yet). */
export async function listPhotosWithoutTemplate(model: string, version: string): Promise<PhotoToRebuild[]> {
  return runDb('templates.listPhotosWithout', (db) =>
    db
      .select({ photoId: facePhotos.photoId, studentId: facePhotos.studentId, storageKey: facePhotos.storageKey })
      .from(facePhotos)
      .where(
        and(
          eq(facePhotos.accepted, true),
          notExists(
            db
              .select({ one: faceTemplates.templateId })
              .from(faceTemplates)
              .where(and(eq(faceTemplates.photoId, facePhotos.photoId), eq(faceTemplates.model, model), eq(faceTemplates.modelVersion, version))),
          ),
        ),
      )
      .orderBy(asc(facePhotos.studentId), asc(facePhotos.createdAt)),
  );
}

/** Adds a template of the current model for a stored photo; templates of older models stay (they are never compared with it). */
export async function insertTemplateForPhoto(photo: PhotoToRebuild, template: TemplateRecordInput): Promise<string> {
  const templateId = crypto.randomUUID();
  await runDb('templates.insertForPhoto', (db) => db.insert(faceTemplates).values({ templateId, studentId: photo.studentId, photoId: photo.photoId, ...template }));
  return templateId;
}

/** Students with any template, and how many of them have one of `model`/`version`: "templates: N of M up to date". */
export async function templateCoverage(model: string, version: string): Promise<{ upToDate: number; students: number }> {
  return runDb('templates.coverage', async (db) => {
    const [all] = await db.select({ n: countDistinct(faceTemplates.studentId) }).from(faceTemplates);
    const [current] = await db
      .select({ n: countDistinct(faceTemplates.studentId) })
      .from(faceTemplates)
      .where(and(eq(faceTemplates.model, model), eq(faceTemplates.modelVersion, version)));
    return { upToDate: Number(current?.n ?? 0), students: Number(all?.n ?? 0) };
  });
}
