import { pathParams, route } from '@/lib/auth/route';
import { getPhoto } from '@/lib/data/face-photos';
import { deletePhoto, photoFormat } from '@/lib/enrollment/enroll-photo';
import { AppError } from '@/lib/errors';
import { getStorage } from '@/lib/storage';

export const dynamic = 'force-dynamic';

async function photoOrThrow(params: { studentId: string; photoId: string }) {
  const photo = await getPhoto(params.photoId, params.studentId);
  if (!photo) throw new AppError('NOT_FOUND', 'Photo not found');
  return photo;
}

/** The photo's bytes (admins only: biometric data). */
export const GET = route(
  {
    summary: 'Photo bytes (JPEG, PNG or WebP, as uploaded)',
    params: pathParams('photoId', 'studentId'),
    roles: ['admin'],
    response: { contentType: ['image/jpeg', 'image/png', 'image/webp'] },
  },
  async ({ params }) => {
    const photo = await photoOrThrow(params);
    const bytes = await getStorage().get(photo.storageKey);
    if (!bytes) throw new AppError('NOT_FOUND', 'Photo file is missing from storage');
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': photoFormat(bytes, photo.storageKey).contentType,
        'cache-control': 'private, max-age=300',
      },
    });
  },
);

export const DELETE = route(
  {
    summary: 'Delete a photo and its template',
    params: pathParams('photoId', 'studentId'),
    roles: ['admin'],
    response: { status: 204 },
  },
  async ({ params, user }) => {
    const photo = await photoOrThrow(params);
    await deletePhoto(photo.photoId, { actorUserId: user.id });
    return new Response(null, { status: 204 });
  },
);
