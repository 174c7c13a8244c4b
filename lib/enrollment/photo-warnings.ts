/**
 * The photo consistency check (photo-consistency.ts) on a student's stored templates: which enrolment
 * photos do not look like the others, with the sentence the admin reads. Nothing is stored: the upload
 * answer, the roster import and the photo list each ask after the photos are in, so the answer always
 * reflects the photos the student has now (deleting the odd one clears its partner's pair warning).
 */
import { listPhotoTemplatesForStudent } from '@/lib/data/face-templates';
import { getStudentDetail, type StudentDetail } from '@/lib/data/student-directory';
import { getStudentOrThrow } from '@/lib/data/students';
import { env } from '@/lib/env';
import { engineIdentity, engineOptionsFromEnv } from '@/lib/face/engine-config';
import type { EngineIdentity } from '@/lib/face/engine-identity';
import type { Lang } from '@/lib/i18n/dictionary';
import type { PhotoResult } from './enroll-photo';
import {
  findDisagreeingPhotos,
  PHOTO_CONSISTENCY_THRESHOLDS,
  photoWarningMessage,
  type PhotoWarningWithMessage,
} from './photo-consistency';

/**
 * Warnings by photo id for `studentId`'s photos, compared through the templates of the running engine
 * (`identity`, from the environment by default); none when that model has no measured threshold.
 */
export async function photoWarningsOfStudent(
  studentId: string,
  opts: { lang?: Lang; identity?: EngineIdentity } = {},
): Promise<Map<string, PhotoWarningWithMessage>> {
  const identity = opts.identity ?? engineIdentity(engineOptionsFromEnv(env()));
  const threshold = PHOTO_CONSISTENCY_THRESHOLDS[identity.model];
  if (threshold === undefined) return new Map();
  const [student, templates] = await Promise.all([
    getStudentOrThrow(studentId),
    listPhotoTemplatesForStudent(studentId, identity.model, identity.version),
  ]);
  const warnings = findDisagreeingPhotos(templates, threshold);
  return new Map(
    [...warnings].map(([photoId, w]) => [
      photoId,
      {
        ...w,
        similarity: Math.round(w.similarity * 1000) / 1000,
        message: photoWarningMessage(opts.lang ?? 'en', w, student.name),
      },
    ]),
  );
}

/** `results` (photos just enrolled for `studentId`) with the warning of each accepted photo that has one. */
export async function withPhotoWarnings(
  studentId: string,
  results: PhotoResult[],
  opts: { lang?: Lang; identity?: EngineIdentity } = {},
): Promise<PhotoResult[]> {
  if (!results.some((r) => r.status === 'accepted')) return results;
  const warnings = await photoWarningsOfStudent(studentId, opts);
  return results.map((r) => {
    const warning = r.status === 'accepted' ? warnings.get(r.photoId) : undefined;
    return warning ? { ...r, warning } : r;
  });
}

export type PhotoWithWarning = StudentDetail['photos'][number] & { warning?: PhotoWarningWithMessage };

/** The student's detail (`GET /api/students/:id`, the student page) with each photo's warning, if any. */
export async function studentDetailWithPhotoWarnings(
  studentId: string,
  opts: { lang?: Lang } = {},
): Promise<Omit<StudentDetail, 'photos'> & { photos: PhotoWithWarning[] }> {
  const detail = await getStudentDetail(studentId);
  const warnings = await photoWarningsOfStudent(studentId, opts);
  return {
    ...detail,
    photos: detail.photos.map((p) => {
      const warning = warnings.get(p.photoId);
      return warning ? { ...p, warning } : p;
    }),
  };
}
