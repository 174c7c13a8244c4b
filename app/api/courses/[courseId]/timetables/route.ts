import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { createTimetableBody } from '@/lib/dashboard/schemas';
import { logTimetableWrite, timetableInputFrom, writeResultJson } from '@/lib/dashboard/timetables';
import { createTimetable, listTimetables } from '@/lib/data/timetables';

export const dynamic = 'force-dynamic';

/** The course's weekly timetables with their session counts. */
export const GET = route({ params: pathParams('courseId') }, async ({ params, user }) => {
  const course = await courseWithAccess(params.courseId, user);
  return Response.json({ timetables: await listTimetables(course.courseId) });
});

/** Creates the pattern and its future sessions; 409 listing every clashing date, and then nothing is saved. */
export const POST = route(
  { params: pathParams('courseId'), body: createTimetableBody },
  async ({ params, body, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    const result = await createTimetable(timetableInputFrom(course, body), user.id, new Date(), user);
    logTimetableWrite('created', result, user.id);
    return Response.json(writeResultJson(result), { status: 201 });
  },
);
