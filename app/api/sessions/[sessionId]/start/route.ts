import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { startSessionNow } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const POST = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  const updated = await startSessionNow(session.sessionId, user.id, new Date(), user);
  return Response.json(updated);
});
