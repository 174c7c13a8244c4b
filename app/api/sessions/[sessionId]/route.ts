import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { localDate } from '@/lib/dashboard/query';
import { updateSessionBody } from '@/lib/dashboard/schemas';
import { writeAudit } from '@/lib/data/audit';
import { updateSession } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const GET = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
  return Response.json({ ...session, course });
});

export const PATCH = route(
  { params: pathParams('sessionId'), body: updateSessionBody },
  async ({ params, body, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    const updated = await updateSession(session.sessionId, {
      ...body,
      ...(body.startsAt ? { date: localDate(body.startsAt) } : {}),
    });
    await writeAudit({
      actorUserId: user.id,
      action: 'session.update',
      entity: 'class_sessions',
      entityId: session.sessionId,
      details: body,
    });
    return Response.json(updated);
  },
);
