import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { createTimetableBody } from '@/lib/dashboard/schemas';
import { logTimetableWrite, timetableInputFrom, writeResultJson } from '@/lib/dashboard/timetables';
import { createTimetable, listTimetables } from '@/lib/data/timetables';
import { timetableWrite } from '@/lib/dashboard/responses';
import { timetableList } from '@/lib/dashboard/course-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: "The course's weekly timetables with their session counts",
    params: pathParams('courseId'),
    ownCourse: true,
    response: { json: timetableList },
  },
  async ({ params, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    return Response.json({ timetables: await listTimetables(course.courseId) });
  },
);

export const POST = route(
  {
    summary:
      'Create a weekly timetable and its future sessions (times in timeZone, default CAMPUS_TIMEZONE); 409 with `details.dates` and `details.clashes` when any date overlaps another session in the same camera, room or course — then nothing is saved',
    params: pathParams('courseId'),
    ownCourse: true,
    body: createTimetableBody,
    response: { status: 201, json: timetableWrite },
  },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    const result = await createTimetable(timetableInputFrom(course, body), user.id, new Date(), user);
    logTimetableWrite('created', result, user.id);
    return Response.json(writeResultJson(result), { status: 201 });
  },
);
