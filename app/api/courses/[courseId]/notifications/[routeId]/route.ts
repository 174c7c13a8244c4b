import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { deleteNotificationRoute } from '@/lib/data/notification-routes';

export const dynamic = 'force-dynamic';

export const DELETE = route(
  {
    summary: 'Remove a notification route',
    params: pathParams('courseId', 'routeId'),
    ownCourse: true,
    response: { status: 204 },
  },
  async ({ params, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    await deleteNotificationRoute(params.routeId, course.courseId, user.id);
    return new Response(null, { status: 204 });
  },
);
