import { pathParams, route } from '@/lib/auth/route';
import { enrollUploadedPhotos } from '@/lib/enrollment/photo-upload';
import { getWebEngine } from '@/lib/face/web-engine';

export const dynamic = 'force-dynamic';
export const maxDuration = 120;

/**
 * Multipart upload of several photos (`photos` fields); each gets its own verdict, in order. An accepted
 * photo that does not look like the student's other photos has a `warning` with a sentence in the caller's language.
 */
export const POST = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ req, params, user, lang }) =>
  Response.json({
    results: await enrollUploadedPhotos(req, {
      studentId: params.studentId,
      actorUserId: user.id,
      engine: getWebEngine,
      lang,
    }),
  }),
);
