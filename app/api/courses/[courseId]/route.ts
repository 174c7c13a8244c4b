import { z } from 'zod';
import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateCourseBody } from '@/lib/dashboard/schemas';
import { deleteCourse, updateCourse } from '@/lib/data/course-admin';
import { courseRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  { summary: 'A course', params: pathParams('courseId'), ownCourse: true, response: { json: courseRow } },
  async ({ params, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    return Response.json(course);
  },
);

export const PATCH = route(
  {
    summary: 'Update a course (code, name, room) / assign its lecturer; 409 on `code` for a code another course has',
    params: pathParams('courseId'),
    roles: ['admin'],
    body: updateCourseBody,
    response: { json: courseRow },
  },
  async ({ params, body, user }) => {
    const course = await updateCourse(params.courseId, body, user.id);
    return Response.json(course);
  },
);

export const DELETE = route(
  {
    summary:
      'Delete a course; one with sessions (and their attendance) only with cascade=true, else 409 with the counts (audited)',
    params: pathParams('courseId'),
    query: deleteQuery,
    roles: ['admin'],
    response: {
      json: z.object({ courseId: z.string(), sessions: z.number().int(), attendances: z.number().int() }),
    },
  },
  async ({ params, query: { cascade }, user }) => {
    const { course, sessions, attendances } = await deleteCourse(params.courseId, { cascade }, user.id);
    return Response.json({ courseId: course.courseId, sessions, attendances });
  },
);
