import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { manualMarkBody } from '@/lib/dashboard/schemas';
import { listEnrolledRoster, listLiveAttendance, markAttendanceManually } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

/** The roster and the attendance rows of the session. */
export const GET = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
  const [roster, attendance] = await Promise.all([
    listEnrolledRoster(course.courseId),
    listLiveAttendance(session.sessionId),
  ]);
  return Response.json({ roster, attendance });
});

/** Manual mark with a reason (audited). */
export const POST = route({ params: pathParams('sessionId'), body: manualMarkBody }, async ({ params, body, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  await markAttendanceManually({
    sessionId: session.sessionId,
    studentId: body.studentId,
    status: body.status,
    reason: body.reason,
    actorUserId: user.id,
  });
  return Response.json({ ok: true });
});
