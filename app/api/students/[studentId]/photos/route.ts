import { pathParams, route } from '@/lib/auth/route';
import { getStudentOrThrow } from '@/lib/data/students';
import { enrollStudentPhoto, type PhotoResult } from '@/lib/enrollment/enroll-photo';
import { AppError } from '@/lib/errors';
import { readBodyCapped } from '@/lib/http-body';
import { getWebEngine } from '@/lib/face/web-engine';

export const dynamic = 'force-dynamic';
export const maxDuration = 120;

const MAX_FILES = 20;
const MAX_BYTES = 10_000_000;

/** Multipart upload of several photos (`photos` fields); each gets its own verdict, in order. */
export const POST = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ req, params, user }) => {
  const studentId = params.studentId;
  await getStudentOrThrow(studentId);
  // Capped while it streams: never more than MAX_FILES photos of MAX_BYTES (+ multipart overhead).
  const raw = await readBodyCapped(req, MAX_FILES * MAX_BYTES + 1_000_000, 'upload');
  const form = await new Response(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength), {
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  })
    .formData()
    .catch(() => {
      throw new AppError('VALIDATION', 'Send the photos as multipart/form-data');
    });
  const files = form
    .getAll('photos')
    .filter((f): f is File => typeof f === 'object' && f !== null && 'arrayBuffer' in f);
  if (files.length === 0) throw new AppError('VALIDATION', 'No photos in the upload (field "photos")');
  if (files.length > MAX_FILES) throw new AppError('VALIDATION', `At most ${MAX_FILES} photos per upload`);
  const engine = await getWebEngine();
  const results: PhotoResult[] = [];
  // One at a time: the engine is a single in-process model; parallel calls would only queue.
  for (const file of files) {
    if (file.size > MAX_BYTES) {
      results.push({
        filename: file.name,
        status: 'rejected',
        code: 'too-large',
        reason: `Larger than ${MAX_BYTES / 1_000_000} MB`,
      });
      continue;
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const outcome = await enrollStudentPhoto({ studentId, bytes, filename: file.name, engine, actorUserId: user.id });
    results.push({ filename: file.name, ...outcome });
  }
  return Response.json({ results });
});
