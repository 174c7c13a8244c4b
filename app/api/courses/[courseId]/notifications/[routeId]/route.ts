import { assertCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { writeAudit } from '@/lib/data/audit';
import { getCourseOrThrow } from '@/lib/data/courses';
import { deleteNotificationRoute } from '@/lib/data/notification-routes';

export const dynamic = 'force-dynamic';

export const DELETE = route({ params: pathParams('courseId', 'routeId') }, async ({ params, user }) => {
  const course = await getCourseOrThrow(params.courseId);
  assertCourseAccess(user, course);
  const routeId = params.routeId;
  await deleteNotificationRoute(routeId, course.courseId);
  await writeAudit({
    actorUserId: user.id,
    action: 'notification_route.delete',
    entity: 'courses',
    entityId: course.courseId,
    details: { routeId },
  });
  return new Response(null, { status: 204 });
});
