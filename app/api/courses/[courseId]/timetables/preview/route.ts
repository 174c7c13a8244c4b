import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { previewTimetableBody } from '@/lib/dashboard/schemas';
import { clashJson, getCourseTimetableOrThrow, timetableInputFrom } from '@/lib/dashboard/timetables';
import { previewTimetable } from '@/lib/data/timetables';
import { timetablePreview } from '@/lib/dashboard/course-responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary: 'The dates a timetable would give (past and kept ones marked) and its clashes; writes nothing',
    params: pathParams('courseId'),
    ownCourse: true,
    body: previewTimetableBody,
    response: { json: timetablePreview },
  },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    if (body.timetableId) await getCourseTimetableOrThrow(course.courseId, body.timetableId);
    const preview = await previewTimetable(timetableInputFrom(course, body), {
      timetableId: body.timetableId,
      viewer: user,
    });
    return Response.json({ ...preview, clashes: preview.clashes.map(clashJson) });
  },
);
