import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { classMoodBody } from '@/lib/dashboard/schemas';
import { setCourseClassMood } from '@/lib/data/session-mood';

export const dynamic = 'force-dynamic';

/** Class mood on or off for the course (its lecturer or an admin); audited. */
export const PATCH = route({ params: pathParams('courseId'), body: classMoodBody }, async ({ params, body, user }) => {
  const course = await courseWithAccess(params.courseId, user);
  await setCourseClassMood({ courseId: course.courseId, enabled: body.enabled, actorUserId: user.id });
  return Response.json({ courseId: course.courseId, classMood: body.enabled });
});
