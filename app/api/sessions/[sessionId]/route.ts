import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { localDate } from '@/lib/dashboard/query';
import { updateSessionBody } from '@/lib/dashboard/schemas';
import { writeAudit } from '@/lib/data/audit';
import { getSessionWithCourse, updateSession } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  return Response.json({ ...session, course });
});

export const PATCH = route({ body: updateSessionBody }, async ({ params, body, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  const updated = await updateSession(session.sessionId, { ...body, ...(body.startsAt ? { date: localDate(body.startsAt) } : {}) });
  await writeAudit({ actorUserId: user!.id, action: 'session.update', entity: 'class_sessions', entityId: session.sessionId, details: body });
  return Response.json(updated);
});
