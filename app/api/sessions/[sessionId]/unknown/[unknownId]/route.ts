import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { reviewUnknownBody } from '@/lib/dashboard/schemas';
import { reviewUnknownFace } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

/** Marks an unknown face reviewed, optionally naming the student it was (audited). */
export const PATCH = route({ body: reviewUnknownBody }, async ({ params, body, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  await reviewUnknownFace({ sessionId: session.sessionId, courseId: course.courseId, unknownId: String(params.unknownId), studentId: body.studentId, actorUserId: user!.id });
  return Response.json({ ok: true });
});
