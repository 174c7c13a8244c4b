import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { moodShares } from '@/lib/dashboard/class-mood';
import { getSessionWithCourse } from '@/lib/data/session-admin';
import { getSessionMood } from '@/lib/data/session-mood';

export const dynamic = 'force-dynamic';

/** The session's class mood: counts of sightings and their shares (never per student). */
export const GET = route({}, async ({ params, user }) => {
  const { session, course } = await getSessionWithCourse(String(params.sessionId));
  assertCourseAccess(user!, course);
  const counts = await getSessionMood(session.sessionId);
  return Response.json({ sessionId: session.sessionId, classMood: course.classMood, ...moodShares(counts) });
});
