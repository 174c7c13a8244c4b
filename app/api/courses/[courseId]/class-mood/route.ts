import { z } from 'zod';
import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { classMoodBody } from '@/lib/dashboard/schemas';
import { setCourseClassMood } from '@/lib/data/session-mood';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  {
    summary: 'Turn class mood on or off for the course (opt-in, off by default; audited)',
    params: pathParams('courseId'),
    ownCourse: true,
    body: classMoodBody,
    response: { json: z.object({ courseId: z.string(), classMood: z.boolean() }) },
  },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    await setCourseClassMood({ courseId: course.courseId, enabled: body.enabled, actorUserId: user.id });
    return Response.json({ courseId: course.courseId, classMood: body.enabled });
  },
);
