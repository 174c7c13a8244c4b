import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { listUnknownFaces } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

export const GET = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  return Response.json({ unknownFaces: await listUnknownFaces(session.sessionId) });
});
