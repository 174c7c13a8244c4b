import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { enrollUploadedPhotos } from '@/lib/enrollment/photo-upload';
import { getWebEngine } from '@/lib/face/web-engine';
import { photoVerdict } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';
export const maxDuration = 120;

/**
 * Multipart upload of several photos (`photos` fields); each gets its own verdict, in order. An accepted
 * photo that does not look like the student's other photos has a `warning` with a sentence in the caller's language.
 */
export const POST = route(
  {
    summary: 'Upload enrollment photos (multipart field "photos", several); a verdict per photo',
    params: pathParams('studentId'),
    roles: ['admin'],
    form: z.object({ photos: z.array(z.file()) }),
    response: { json: z.object({ results: z.array(photoVerdict) }) },
  },
  async ({ req, params, user, lang }) =>
    Response.json({
      results: await enrollUploadedPhotos(req, {
        studentId: params.studentId,
        actorUserId: user.id,
        engine: getWebEngine,
        lang,
      }),
    }),
);
