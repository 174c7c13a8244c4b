import { z } from 'zod';
import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { createNotificationRoute, listNotificationRoutes } from '@/lib/data/notification-routes';
import { getUserOrThrow } from '@/lib/data/users';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import {
  assertDeliverableTarget,
  assertMailConfigured,
  createNotificationRouteBody,
  lecturerMayMail,
  lecturerMayTarget,
  publicRoute,
} from '@/lib/notifications/routes';
import { allowedNotificationHosts } from '@/lib/notifications/target-guard';
import { notificationRoute } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: "The course's notification routes (webhook / Slack / Telegram / e-mail); secrets masked",
    params: pathParams('courseId'),
    ownCourse: true,
    response: { json: z.object({ routes: z.array(notificationRoute) }) },
  },
  async ({ params, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    return Response.json({
      routes: (await listNotificationRoutes({ courseId: course.courseId })).map((r) => publicRoute(r, user.role)),
    });
  },
);

export const POST = route(
  {
    summary: 'Add a notification route (events: session_closed, camera_offline, arrival)',
    params: pathParams('courseId'),
    ownCourse: true,
    body: createNotificationRouteBody,
    response: { status: 201, json: notificationRoute },
  },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    // A lecturer cannot make the server POST anywhere: only to Slack or the hosts the deployment allows.
    const settings = env();
    const allowedHosts = allowedNotificationHosts(settings.NOTIFY_ALLOWED_HOSTS, []);
    if (body.channel === 'email') {
      assertMailConfigured(settings.SMTP_HOST);
      // Arrivals name students: a lecturer routes a course's mail only to their own account's address.
      if (user.role !== 'admin' && !lecturerMayMail(body.target, (await getUserOrThrow(user.id)).email))
        throw new AppError(
          'FORBIDDEN',
          "A lecturer can send this course's e-mail only to their own account's address; ask an admin to add another address",
        );
    } else if (user.role !== 'admin' && !lecturerMayTarget(body, allowedHosts)) {
      throw new AppError(
        'FORBIDDEN',
        'Only an admin can send notifications to that address; use a Slack webhook, Telegram, or a host listed in NOTIFY_ALLOWED_HOSTS',
      );
    }
    // Not an admin either: no target inside the server's own network, in any spelling of the address.
    await assertDeliverableTarget(body, allowedHosts);
    const created = await createNotificationRoute({ courseId: course.courseId }, body, user.id);
    return Response.json(publicRoute(created, user.role), { status: 201 });
  },
);
