import { z } from 'zod';
import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { listDisputesForSession } from '@/lib/data/disputes';
import { sessionDispute } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: "Students' disputes of their attendance in the session, open ones first",
    params: pathParams('sessionId'),
    ownCourse: true,
    response: { json: z.object({ disputes: z.array(sessionDispute) }) },
  },
  async ({ params, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    return Response.json({ disputes: await listDisputesForSession(session.sessionId) });
  },
);
