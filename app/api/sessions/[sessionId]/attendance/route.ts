import { z } from 'zod';
import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { manualMarkBody } from '@/lib/dashboard/schemas';
import { listEnrolledRoster, listLiveAttendance, markAttendanceManually } from '@/lib/data/live-attendance';
import { liveAttendance, ok } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Roster and attendance rows',
    params: pathParams('sessionId'),
    ownCourse: true,
    response: {
      json: z.object({
        roster: z.array(z.object({ studentId: z.string(), name: z.string(), studentNumber: z.string().nullable() })),
        attendance: z.array(liveAttendance),
      }),
    },
  },
  async ({ params, user }) => {
    const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
    const [roster, attendance] = await Promise.all([
      listEnrolledRoster(course.courseId),
      listLiveAttendance(session.sessionId),
    ]);
    return Response.json({ roster, attendance });
  },
);

export const POST = route(
  {
    summary: 'Manual mark with a reason (audited)',
    params: pathParams('sessionId'),
    ownCourse: true,
    body: manualMarkBody,
    response: { json: ok },
  },
  async ({ params, body, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    await markAttendanceManually({
      sessionId: session.sessionId,
      studentId: body.studentId,
      status: body.status,
      reason: body.reason,
      actorUserId: user.id,
    });
    return Response.json({ ok: true });
  },
);
