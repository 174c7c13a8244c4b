import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { livenessReviewBody } from '@/lib/dashboard/schemas';
import { reviewSuspectedSpoof } from '@/lib/data/liveness-review';
import { getSessionWithCourse } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

/** "This was real" / "This was a spoof" on a face the liveness check held back (audited). */
export const POST = route({ body: livenessReviewBody }, async ({ params, body, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  const result = await reviewSuspectedSpoof({ sessionId: session.sessionId, unknownId: String(params.unknownId), verdict: body.verdict, actorUserId: user!.id });
  return Response.json({ verdict: body.verdict, ...result });
});
