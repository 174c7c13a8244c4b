import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { removeAttendanceBody } from '@/lib/dashboard/schemas';
import { removeAttendance } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

export const DELETE = route(
  {
    summary: '"Not this person": remove a wrong attendance (audited)',
    params: pathParams('attendanceId', 'sessionId'),
    ownCourse: true,
    body: removeAttendanceBody,
    response: { status: 204 },
  },
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
