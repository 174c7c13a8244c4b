import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { removeAttendanceBody } from '@/lib/dashboard/schemas';
import { removeAttendance } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

/** "Not this person": removes a wrong attendance, with a reason (audited). */
export const DELETE = route(
  { params: pathParams('attendanceId', 'sessionId'), body: removeAttendanceBody },
  async ({ params, body, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    await removeAttendance({
      sessionId: session.sessionId,
      attendanceId: params.attendanceId,
      reason: body.reason,
      actorUserId: user.id,
    });
    return new Response(null, { status: 204 });
  },
);
