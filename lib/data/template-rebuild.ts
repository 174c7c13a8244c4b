import 'server-only';
import { and, asc, countDistinct, eq, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
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
              .where(
                and(
                  eq(faceTemplates.photoId, facePhotos.photoId),
                  eq(faceTemplates.model, model),
                  eq(faceTemplates.modelVersion, version),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(facePhotos.studentId), asc(facePhotos.createdAt)),
  );
}

/** Adds a template of the current model for a stored photo; templates of older models stay (they are never compared with it). */
export async function insertTemplateForPhoto(photo: PhotoToRebuild, template: TemplateRecordInput): Promise<string> {
  const templateId = crypto.randomUUID();
  await runDb('templates.insertForPhoto', (db) =>
    db.insert(faceTemplates).values({ templateId, studentId: photo.studentId, photoId: photo.photoId, ...template }),
  );
  return templateId;
}

/** Students with any template, and how many of them have one of `model`/`version`: "templates: N of M up to date". */
export async function templateCoverage(
  model: string,
  version: string,
): Promise<{ upToDate: number; students: number }> {
  return runDb('templates.coverage', async (db) => {
    const [all] = await db.select({ n: countDistinct(faceTemplates.studentId) }).from(faceTemplates);
    const [current] = await db
      .select({ n: countDistinct(faceTemplates.studentId) })
      .from(faceTemplates)
      .where(and(eq(faceTemplates.model, model), eq(faceTemplates.modelVersion, version)));
    return { upToDate: Number(current?.n ?? 0), students: Number(all?.n ?? 0) };
  });
}

/**
 * Models whose templates are the only ones some students have (none of `model`/`version` yet), with
 * how many such students each: what the worker must keep matching during a model change.
 */
export async function listModelsOnlyTemplatesOf(
  model: string,
  version: string,
): Promise<Array<{ model: string; version: string; students: number }>> {
  const current = alias(faceTemplates, 'current_templates');
  const rows = await runDb('templates.legacyModels', (db) =>
    db
      .select({
        model: faceTemplates.model,
        version: faceTemplates.modelVersion,
        students: countDistinct(faceTemplates.studentId),
      })
      .from(faceTemplates)
      .where(
        notExists(
          db
            .select({ one: current.templateId })
            .from(current)
            .where(
              and(
                eq(current.studentId, faceTemplates.studentId),
                eq(current.model, model),
                eq(current.modelVersion, version),
              ),
            ),
        ),
      )
      .groupBy(faceTemplates.model, faceTemplates.modelVersion)
      .orderBy(asc(faceTemplates.model), asc(faceTemplates.modelVersion)),
  );
  return rows.map((r) => ({ model: r.model, version: r.version, students: Number(r.students) }));
}
