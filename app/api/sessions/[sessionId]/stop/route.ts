import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { writeAudit } from '@/lib/data/audit';
import { getSessionWithCourse, stopSessionNow } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const POST = route({}, async ({ params, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  const updated = await stopSessionNow(session.sessionId);
  await writeAudit({ actorUserId: user!.id, action: 'session.stop', entity: 'class_sessions', entityId: session.sessionId });
  return Response.json(updated);
});
