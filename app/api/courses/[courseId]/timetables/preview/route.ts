import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { previewTimetableBody } from '@/lib/dashboard/schemas';
import { clashJson, getCourseTimetableOrThrow, timetableInputFrom } from '@/lib/dashboard/timetables';
import { previewTimetable } from '@/lib/data/timetables';

export const dynamic = 'force-dynamic';

/** Every date the pattern gives (past ones and kept ones marked) and the clashes; writes nothing. */
export const POST = route(
  { params: pathParams('courseId'), body: previewTimetableBody },
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
