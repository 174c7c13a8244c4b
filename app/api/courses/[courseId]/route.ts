import { assertCourseAccess } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { updateCourseBody } from '@/lib/dashboard/schemas';
import { writeAudit } from '@/lib/data/audit';
import { updateCourse } from '@/lib/data/course-admin';
import { getCourseOrThrow } from '@/lib/data/courses';

export const dynamic = 'force-dynamic';

export const GET = route({}, async ({ params, user }) => {
  const course = await getCourseOrThrow(String(params.courseId));
  assertCourseAccess(user!, course);
  return Response.json(course);
});

/** Rename, change room, assign a lecturer (admins only). */
export const PATCH = route({ roles: ['admin'], body: updateCourseBody }, async ({ params, body, user }) => {
  const course = await updateCourse(String(params.courseId), body);
  await writeAudit({ actorUserId: user!.id, action: 'course.update', entity: 'courses', entityId: course.courseId, details: body });
  return Response.json(course);
});
