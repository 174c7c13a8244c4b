import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { reviewUnknownBody } from '@/lib/dashboard/schemas';
import { reviewUnknownFace } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

/** Marks an unknown face reviewed, optionally naming the student it was (audited). */
export const PATCH = route(
  { params: pathParams('sessionId', 'unknownId'), body: reviewUnknownBody },
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
