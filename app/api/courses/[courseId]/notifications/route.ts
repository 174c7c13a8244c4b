import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { writeAudit } from '@/lib/data/audit';
import { getCourseOrThrow } from '@/lib/data/courses';
import { createNotificationRoute, listNotificationRoutes } from '@/lib/data/notification-routes';
import { createNotificationRouteBody, publicRoute } from '@/lib/notifications/routes';

export const dynamic = 'force-dynamic';

/** The course's notification routes; secrets come back masked. */
export const GET = route({}, async ({ params, user }) => {
  const course = await getCourseOrThrow(String(params.courseId));
  assertCourseAccess(user!, course);
  return Response.json({ routes: (await listNotificationRoutes({ courseId: course.courseId })).map(publicRoute) });
});

export const POST = route({ body: createNotificationRouteBody }, async ({ params, body, user }) => {
  const course = await getCourseOrThrow(String(params.courseId));
  assertCourseAccess(user!, course);
  const created = await createNotificationRoute({ courseId: course.courseId }, body);
  await writeAudit({ actorUserId: user!.id, action: 'notification_route.create', entity: 'courses', entityId: course.courseId, details: { routeId: created.routeId, channel: created.channel, events: created.events } });
  return Response.json(publicRoute(created), { status: 201 });
});
