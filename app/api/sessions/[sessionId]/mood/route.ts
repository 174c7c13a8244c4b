import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { moodShares } from '@/lib/dashboard/class-mood';
import { getSessionMood } from '@/lib/data/session-mood';
import { sessionMood } from '@/lib/dashboard/course-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      'Class mood of the session: counts of sampled faces that looked happy, neutral, tired (eyes closed) or other, and their shares; never per student',
    params: pathParams('sessionId'),
    ownCourse: true,
    response: { json: sessionMood },
  },
  async ({ params, user }) => {
    const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
    const counts = await getSessionMood(session.sessionId);
    return Response.json({ sessionId: session.sessionId, classMood: course.classMood, ...moodShares(counts) });
  },
);
