/**
 * The dashboard's photo upload (`POST /api/students/:id/photos`): a multipart body with up to
 * PHOTO_UPLOAD_LIMITS.maxFiles `photos` files, each enrolled in order with its own verdict. The body is capped while it
 * streams; a photo over the per-photo cap is answered "too-large" without being read. Once all are
 * stored, an accepted photo that does not look like the student's other photos carries a `warning`.
 */
import { getStudentOrThrow } from '@/lib/data/students';
import { AppError } from '@/lib/errors';
import { formFiles, readMultipartCapped } from '@/lib/http-body';
import type { Lang } from '@/lib/i18n/dictionary';
import type { ObjectStorage } from '@/lib/storage';
import { enrollStudentPhoto, type EnrollmentEngine, type PhotoResult } from './enroll-photo';
import { PHOTO_LIMITS } from './photo-files';
import { withPhotoWarnings } from './photo-warnings';

export const PHOTO_UPLOAD_LIMITS = {
  maxFiles: 20,
  /** The same cap as a roster import's photos. */
  maxPhotoBytes: PHOTO_LIMITS.maxPhotoBytes,
};

export async function enrollUploadedPhotos(
  req: Request,
  input: {
    studentId: string;
    actorUserId: string | null;
    engine: () => Promise<EnrollmentEngine>;
    storage?: ObjectStorage;
    /** The language of the warnings' sentences. */
    lang?: Lang;
  },
): Promise<PhotoResult[]> {
  const { maxFiles, maxPhotoBytes } = PHOTO_UPLOAD_LIMITS;
  await getStudentOrThrow(input.studentId);
  // Never more than maxFiles photos of maxPhotoBytes (+ 1 MB of multipart overhead).
  const form = await readMultipartCapped(
    req,
    maxFiles * maxPhotoBytes + 1_000_000,
    'upload',
    'Send the photos as multipart/form-data',
  );
  const files = formFiles(form, 'photos');
  if (files.length === 0) throw new AppError('VALIDATION', 'No photos in the upload (field "photos")');
  if (files.length > maxFiles) throw new AppError('VALIDATION', `At most ${maxFiles} photos per upload`);
  const engine = await input.engine();
  const results: PhotoResult[] = [];
  // One at a time: the engine is a single in-process model; parallel calls would only queue.
  for (const file of files) {
    if (file.size > maxPhotoBytes) {
      results.push({
        filename: file.name,
        status: 'rejected',
        code: 'too-large',
        reason: `Larger than ${maxPhotoBytes / 1_000_000} MB`,
      });
      continue;
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const outcome = await enrollStudentPhoto({
      studentId: input.studentId,
      bytes,
      filename: file.name,
      engine,
      actorUserId: input.actorUserId,
      storage: input.storage,
    });
    results.push({ filename: file.name, ...outcome });
  }
  // After the whole batch, so each photo is judged against all the others, whatever their order.
  return withPhotoWarnings(input.studentId, results, { lang: input.lang });
}
