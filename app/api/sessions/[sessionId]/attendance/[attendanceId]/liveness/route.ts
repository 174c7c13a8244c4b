import { z } from 'zod';
import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { livenessReviewBody } from '@/lib/dashboard/schemas';
import { reviewDoubtfulAttendance } from '@/lib/data/liveness-review';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      'Verdict on an attendance marked "liveness doubtful" (liveness `flag`): "real" clears the mark, "spoof" makes it an absence (audited)',
    params: pathParams('attendanceId', 'sessionId'),
    ownCourse: true,
    body: livenessReviewBody,
    response: { json: z.object({ verdict: z.enum(['real', 'spoof']) }) },
  },
  async ({ params, body, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    await reviewDoubtfulAttendance({
      sessionId: session.sessionId,
      attendanceId: params.attendanceId,
      verdict: body.verdict,
      actorUserId: user.id,
    });
    return Response.json({ verdict: body.verdict });
  },
);
