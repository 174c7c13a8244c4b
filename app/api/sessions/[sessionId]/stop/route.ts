import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { stopSessionNow } from '@/lib/data/session-admin';
import { sessionRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary: 'Close the session now',
    params: pathParams('sessionId'),
    ownCourse: true,
    response: { json: sessionRow },
  },
  async ({ params, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    const updated = await stopSessionNow(session.sessionId, user.id);
    return Response.json(updated);
  },
);
