import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { listUnknownFaces } from '@/lib/data/live-attendance';
import { getSessionWithCourse } from '@/lib/data/session-admin';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  return Response.json({ unknownFaces: await listUnknownFaces(session.sessionId) });
});
