import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { parseQuery } from '@/lib/dashboard/query';
import { deleteQuery, updateCourseBody } from '@/lib/dashboard/schemas';
import { writeAudit } from '@/lib/data/audit';
import { deleteCourse, updateCourse } from '@/lib/data/course-admin';
import { getCourseOrThrow } from '@/lib/data/courses';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params, user }) => {
  const course = await getCourseOrThrow(String(params.courseId));
  assertCourseAccess(user!, course);
  return Response.json(course);
});

/** Code, name, room, lecturer (admins only); a code another course has → 409 on `code`. */
export const PATCH = route({ roles: ['admin'], body: updateCourseBody }, async ({ params, body, user }) => {
  const course = await updateCourse(String(params.courseId), body);
  await writeAudit({ actorUserId: user!.id, action: 'course.update', entity: 'courses', entityId: course.courseId, details: body });
  return Response.json(course);
});

/** A course with sessions is deleted (with them and their attendance) only with `?cascade=true`; else 409. */
export const DELETE = route({ roles: ['admin'] }, async ({ req, params, user }) => {
  const { cascade } = parseQuery(req, deleteQuery);
  const { course, sessions, attendances } = await deleteCourse(String(params.courseId), { cascade });
  await writeAudit({ actorUserId: user!.id, action: 'course.delete', entity: 'courses', entityId: course.courseId, details: { code: course.code, courseName: course.courseName, sessions, attendances } });
  return Response.json({ courseId: course.courseId, sessions, attendances });
});
