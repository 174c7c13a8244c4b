import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { updateTimetableBody } from '@/lib/dashboard/schemas';
import {
  getCourseTimetableOrThrow,
  logTimetableDelete,
  logTimetableWrite,
  writeResultJson,
} from '@/lib/dashboard/timetables';
import { deleteTimetable, updateTimetable } from '@/lib/data/timetables';

export const dynamic = 'force-dynamic';

/** Changes the pattern; only future sessions that never ran and have no attendance move, appear or go. */
export const PATCH = route(
  { params: pathParams('courseId', 'timetableId'), body: updateTimetableBody },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    const t = await getCourseTimetableOrThrow(course.courseId, params.timetableId);
    const result = await updateTimetable(t.timetableId, body, user.id, new Date(), user);
    logTimetableWrite('updated', result, user.id);
    return Response.json(writeResultJson(result));
  },
);

/** Removes the pattern and its future, never-run sessions; sessions that ran (or have attendance) stay. */
export const DELETE = route({ params: pathParams('courseId', 'timetableId') }, async ({ params, user }) => {
  const course = await courseWithAccess(params.courseId, user);
  const t = await getCourseTimetableOrThrow(course.courseId, params.timetableId);
  const result = await deleteTimetable(t.timetableId, user.id);
  logTimetableDelete(t.timetableId, result, user.id);
  return Response.json(result);
});
