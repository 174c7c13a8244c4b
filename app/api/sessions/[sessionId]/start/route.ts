import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { startSessionNow } from '@/lib/data/session-admin';
import { sessionRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  { summary: 'Open the session now', params: pathParams('sessionId'), ownCourse: true, response: { json: sessionRow } },
  async ({ params, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    const updated = await startSessionNow(session.sessionId, user.id, new Date(), user);
    return Response.json(updated);
  },
);
