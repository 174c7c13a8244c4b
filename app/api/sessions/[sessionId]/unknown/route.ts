import { z } from 'zod';
import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { listUnknownFaces } from '@/lib/data/live-attendance';
import { unknownFace } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Unknown faces seen in the session',
    params: pathParams('sessionId'),
    ownCourse: true,
    response: { json: z.object({ unknownFaces: z.array(unknownFace) }) },
  },
  async ({ params, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    return Response.json({ unknownFaces: await listUnknownFaces(session.sessionId) });
  },
);
