import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { moodShares } from '@/lib/dashboard/class-mood';
import { getSessionMood } from '@/lib/data/session-mood';

export const dynamic = 'force-dynamic';

/** The session's class mood: counts of sightings and their shares (never per student). */
export const GET = route({ params: pathParams('sessionId') }, async ({ params, user }) => {
  const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
  const counts = await getSessionMood(session.sessionId);
  return Response.json({ sessionId: session.sessionId, classMood: course.classMood, ...moodShares(counts) });
});
