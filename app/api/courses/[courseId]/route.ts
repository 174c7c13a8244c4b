import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateCourseBody } from '@/lib/dashboard/schemas';
import { deleteCourse, updateCourse } from '@/lib/data/course-admin';

export const dynamic = 'force-dynamic';

export const GET = route({ params: pathParams('courseId') }, async ({ params, user }) => {
  const course = await courseWithAccess(params.courseId, user);
  return Response.json(course);
});

/** Code, name, room, lecturer (admins only); a code another course has → 409 on `code`. */
export const PATCH = route(
  { params: pathParams('courseId'), roles: ['admin'], body: updateCourseBody },
  async ({ params, body, user }) => {
    const course = await updateCourse(params.courseId, body, user.id);
    return Response.json(course);
  },
);

/** A course with sessions is deleted (with them and their attendance) only with `?cascade=true`; else 409. */
export const DELETE = route(
  { params: pathParams('courseId'), query: deleteQuery, roles: ['admin'] },
  async ({ params, query: { cascade }, user }) => {
    const { course, sessions, attendances } = await deleteCourse(params.courseId, { cascade }, user.id);
    return Response.json({ courseId: course.courseId, sessions, attendances });
  },
);
