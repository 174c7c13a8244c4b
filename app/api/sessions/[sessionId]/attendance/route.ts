import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { manualMarkBody } from '@/lib/dashboard/schemas';
import { listEnrolledRoster, listLiveAttendance, markAttendanceManually } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

/** The roster and the attendance rows of the session. */
export const GET = route({}, async ({ params, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  const [roster, attendance] = await Promise.all([listEnrolledRoster(course.courseId), listLiveAttendance(session.sessionId)]);
  return Response.json({ roster, attendance });
});

/** Manual mark with a reason (audited). */
export const POST = route({ body: manualMarkBody }, async ({ params, body, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  await markAttendanceManually({ sessionId: session.sessionId, studentId: body.studentId, status: body.status, reason: body.reason, actorUserId: user!.id });
  return Response.json({ ok: true });
});
