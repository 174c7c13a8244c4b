import { pathParams, route } from '@/lib/auth/route';
import { AppError } from '@/lib/errors';
import { getUnknownFaceForUser } from '@/lib/review/assign-unknown-face';
import { getStorage } from '@/lib/storage';

export const dynamic = 'force-dynamic';

/** The stored crop of an unknown face; private (a face is personal data), never cached by proxies. */
export const GET = route(
  {
    summary: 'The stored JPEG crop of an unknown face (no-store)',
    params: pathParams('unknownId'),
    ownCourse: true,
    response: { contentType: ['image/jpeg'] },
  },
  async ({ params, user }) => {
    const { unknown } = await getUnknownFaceForUser(user, params.unknownId);
    const bytes = await getStorage().get(unknown.storageKey);
    if (!bytes) throw new AppError('NOT_FOUND', 'The face crop is gone (purged after the retention period)');
    return new Response(new Uint8Array(bytes), {
      headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' },
    });
  },
);
