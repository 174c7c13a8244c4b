import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { livenessReviewBody } from '@/lib/dashboard/schemas';
import { reviewSuspectedSpoof } from '@/lib/data/liveness-review';

export const dynamic = 'force-dynamic';

/** "This was real" / "This was a spoof" on a face the liveness check held back (audited). */
export const POST = route(
  { params: pathParams('sessionId', 'unknownId'), body: livenessReviewBody },
  async ({ params, body, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    const result = await reviewSuspectedSpoof({
      sessionId: session.sessionId,
      unknownId: params.unknownId,
      verdict: body.verdict,
      actorUserId: user.id,
    });
    return Response.json({ verdict: body.verdict, ...result });
  },
);
