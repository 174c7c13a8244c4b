import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { livenessReviewBody } from '@/lib/dashboard/schemas';
import { reviewDoubtfulAttendance } from '@/lib/data/liveness-review';

export const dynamic = 'force-dynamic';

/** "This was real" / "This was a spoof" on an attendance marked "liveness doubtful" (audited). */
export const POST = route(
  { params: pathParams('attendanceId', 'sessionId'), body: livenessReviewBody },
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
