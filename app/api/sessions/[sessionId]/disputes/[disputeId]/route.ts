import { z } from 'zod';
import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { resolveDisputeBody } from '@/lib/dashboard/student-schemas';
import { resolveDispute } from '@/lib/data/disputes';
import { ATTENDANCE_STATUSES, DISPUTE_STATES } from '@/db/schema';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      'Resolve a dispute: accept marks the student present ("I was there") or absent ("that was not me") as a manual mark, or decline (audited); 409 when already resolved',
    params: pathParams('sessionId', 'disputeId'),
    ownCourse: true,
    body: resolveDisputeBody,
    response: {
      json: z.object({ state: z.enum(DISPUTE_STATES), status: z.enum(ATTENDANCE_STATUSES).nullable() }),
    },
  },
  async ({ params, body, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    const result = await resolveDispute({
      sessionId: session.sessionId,
      disputeId: params.disputeId,
      decision: body.decision,
      actorUserId: user.id,
    });
    return Response.json(result);
  },
);
