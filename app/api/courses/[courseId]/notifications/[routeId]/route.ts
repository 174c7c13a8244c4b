import { assertCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { getCourseOrThrow } from '@/lib/data/courses';
import { deleteNotificationRoute } from '@/lib/data/notification-routes';

export const dynamic = 'force-dynamic';

export const DELETE = route({ params: pathParams('courseId', 'routeId') }, async ({ params, user }) => {
  const course = await getCourseOrThrow(params.courseId);
  assertCourseAccess(user, course);
  await deleteNotificationRoute(params.routeId, course.courseId, user.id);
  return new Response(null, { status: 204 });
});
