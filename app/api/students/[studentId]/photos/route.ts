import { pathParams, route } from '@/lib/auth/route';
import { enrollUploadedPhotos } from '@/lib/enrollment/photo-upload';
import { getWebEngine } from '@/lib/face/web-engine';

export const dynamic = 'force-dynamic';
export const maxDuration = 120;

/** Multipart upload of several photos (`photos` fields); each gets its own verdict, in order. */
export const POST = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ req, params, user }) =>
  Response.json({
    results: await enrollUploadedPhotos(req, {
      studentId: params.studentId,
      actorUserId: user.id,
      engine: getWebEngine,
    }),
  }),
);
