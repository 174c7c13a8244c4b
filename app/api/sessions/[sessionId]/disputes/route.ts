import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { listDisputesForSession } from '@/lib/data/disputes';

export const dynamic = 'force-dynamic';

/** Students' disputes of their attendance in the session, open ones first (admin, the course's lecturer). */
export const GET = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  return Response.json({ disputes: await listDisputesForSession(session.sessionId) });
});
