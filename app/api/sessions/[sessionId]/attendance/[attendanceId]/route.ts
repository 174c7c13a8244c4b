import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { removeAttendanceBody } from '@/lib/dashboard/schemas';
import { removeAttendance } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

/** "Not this person": removes a wrong attendance, with a reason (audited). */
export const DELETE = route({ body: removeAttendanceBody }, async ({ params, body, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  await removeAttendance({ sessionId: session.sessionId, attendanceId: String(params.attendanceId), reason: body.reason, actorUserId: user!.id });
  return new Response(null, { status: 204 });
});
