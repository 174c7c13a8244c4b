import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { reviewUnknownBody } from '@/lib/dashboard/schemas';
import { reviewUnknownFace } from '@/lib/data/live-attendance';
import { ok } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  {
    summary: 'Mark an unknown face reviewed (optionally who it was)',
    params: pathParams('sessionId', 'unknownId'),
    ownCourse: true,
    body: reviewUnknownBody,
    response: { json: ok },
  },
  async ({ params, body, user }) => {
    const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
    await reviewUnknownFace({
      sessionId: session.sessionId,
      courseId: course.courseId,
      unknownId: params.unknownId,
      studentId: body.studentId,
      actorUserId: user.id,
    });
    return Response.json({ ok: true });
  },
);
