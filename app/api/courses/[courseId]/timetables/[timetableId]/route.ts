import { z } from 'zod';
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
import { timetableWrite } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  {
    summary:
      'Edit a timetable: only future sessions that never ran and have no attendance are moved, added or removed; 409 on clashes',
    params: pathParams('courseId', 'timetableId'),
    ownCourse: true,
    body: updateTimetableBody,
    response: { json: timetableWrite },
  },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    const t = await getCourseTimetableOrThrow(course.courseId, params.timetableId);
    const result = await updateTimetable(t.timetableId, body, user.id, new Date(), user);
    logTimetableWrite('updated', result, user.id);
    return Response.json(writeResultJson(result));
  },
);

export const DELETE = route(
  {
    summary: 'Delete a timetable and its future, never-run sessions (sessions that ran or have attendance stay)',
    params: pathParams('courseId', 'timetableId'),
    ownCourse: true,
    response: { json: z.object({ removed: z.number().int(), kept: z.number().int() }) },
  },
  async ({ params, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    const t = await getCourseTimetableOrThrow(course.courseId, params.timetableId);
    const result = await deleteTimetable(t.timetableId, user.id);
    logTimetableDelete(t.timetableId, result, user.id);
    return Response.json(result);
  },
);
