import { z } from 'zod';
import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { livenessReviewBody } from '@/lib/dashboard/schemas';
import { reviewSuspectedSpoof } from '@/lib/data/liveness-review';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      'Verdict on a suspected spoof (liveness `block`): "real" records the student it was recognised as, "spoof" records nothing (audited)',
    params: pathParams('sessionId', 'unknownId'),
    ownCourse: true,
    body: livenessReviewBody,
    response: { json: z.object({ verdict: z.enum(['real', 'spoof']), attendanceId: z.string().nullable() }) },
  },
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
