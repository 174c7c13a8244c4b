import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { writeAudit } from '@/lib/data/audit';
import { startSessionNow } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const POST = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  const updated = await startSessionNow(session.sessionId);
  await writeAudit({
    actorUserId: user.id,
    action: 'session.start',
    entity: 'class_sessions',
    entityId: session.sessionId,
  });
  return Response.json(updated);
});
