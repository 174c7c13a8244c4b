/**
 * Re-embeds every stored enrollment photo that has no template of the running model (after a model
 * upgrade, FACE_EMBEDDER change or alignment change bumps the version). Old templates are kept until
 * then, so nothing is lost if the rebuild stops half-way; run again and it continues where it stopped.
 * Used by `npm run attendance -- templates rebuild` and by the worker in the background.
 */
import {
  insertTemplateForPhoto,
  listModelsOnlyTemplatesOf,
  listPhotosWithoutTemplate,
  templateCoverage,
} from '@/lib/data/template-rebuild';
import type { FaceTemplate } from '@/lib/face/types';
import { embedderNamed, type EmbedderName, type EngineIdentity } from '@/lib/face/engine-identity';
import type { ObjectStorage } from '@/lib/storage';

export type RebuildEngine = { templateForAcceptedPhoto(bytes: Uint8Array): Promise<FaceTemplate | null> };

export type RebuildProgress = { start(total: number): void; tick(photoId: string): void; stop(): void };

export type RebuildSummary = {
  model: string;
  version: string;
  photos: number;
  rebuilt: number;
  failed: Array<{ photo_id: string; student_id: string; reason: string }>;
  students_up_to_date: number;
  students: number;
};

export async function rebuildTemplates(opts: {
  engine: RebuildEngine;
  identity: EngineIdentity;
  storage: ObjectStorage;
  progress?: RebuildProgress;
  concurrency?: number;
  signal?: AbortSignal;
}): Promise<RebuildSummary> {
  const { engine, identity, storage, progress } = opts;
  const photos = await listPhotosWithoutTemplate(identity.model, identity.version);
  const failed: RebuildSummary['failed'] = [];
  let rebuilt = 0;
  progress?.start(photos.length);
  let next = 0;
  const work = async () => {
    while (next < photos.length && !opts.signal?.aborted) {
      const photo = photos[next++];
      try {
        const bytes = await storage.get(photo.storageKey);
        if (!bytes) throw new Error(`the stored photo ${photo.storageKey} is missing`);
        const t = await engine.templateForAcceptedPhoto(bytes);
        if (!t) throw new Error('no face found on the stored photo with the current model');
        if (t.model !== identity.model || t.version !== identity.version)
          throw new Error(`the engine made ${t.model}@${t.version}, expected ${identity.model}@${identity.version}`);
        await insertTemplateForPhoto(photo, {
          model: t.model,
          modelVersion: t.version,
          dims: t.data.length / 4,
          embedding: Buffer.from(t.data),
        });
        rebuilt++;
      } catch (err) {
        failed.push({ photo_id: photo.photoId, student_id: photo.studentId, reason: (err as Error).message });
      }
      progress?.tick(photo.photoId);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, work));
  } finally {
    progress?.stop();
  }
  const coverage = await templateCoverage(identity.model, identity.version);
  return {
    model: identity.model,
    version: identity.version,
    photos: photos.length,
    rebuilt,
    failed,
    students_up_to_date: coverage.upToDate,
    students: coverage.students,
  };
}

export type LegacyModels = {
  /** Previous embedders still in the registry: camera faces are embedded with these too. */
  embedders: Array<{ name: EmbedderName; model: string; version: string; students: number }>;
  /** Previous models we can no longer run: these students wait for their rebuilt templates. */
  unavailable: Array<{ model: string; version: string; students: number }>;
};

/** Which previous models some students depend on, split into those the engine can still run and the rest. */
export async function legacyModelsFor(identity: EngineIdentity): Promise<LegacyModels> {
  const out: LegacyModels = { embedders: [], unavailable: [] };
  for (const m of await listModelsOnlyTemplatesOf(identity.model, identity.version)) {
    const name = embedderNamed(m);
    if (name) out.embedders.push({ name, ...m });
    else out.unavailable.push(m);
  }
  return out;
}
