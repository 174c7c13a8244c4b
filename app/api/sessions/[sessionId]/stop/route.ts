import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { writeAudit } from '@/lib/data/audit';
import { stopSessionNow } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const POST = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  const updated = await stopSessionNow(session.sessionId);
  await writeAudit({
    actorUserId: user.id,
    action: 'session.stop',
    entity: 'class_sessions',
    entityId: session.sessionId,
  });
  return Response.json(updated);
});
