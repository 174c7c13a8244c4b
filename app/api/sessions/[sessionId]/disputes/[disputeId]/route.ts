import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { resolveDisputeBody } from '@/lib/dashboard/student-schemas';
import { resolveDispute } from '@/lib/data/disputes';

export const dynamic = 'force-dynamic';

/** Accept (marks present / absent as a manual mark) or decline a student's dispute (audited). */
export const POST = route(
  { params: pathParams('sessionId', 'disputeId'), body: resolveDisputeBody },
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
