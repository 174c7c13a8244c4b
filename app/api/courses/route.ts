import { lecturerScope } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { createCourseBody } from '@/lib/dashboard/schemas';
import { listCoursesWithCounts } from '@/lib/data/course-admin';
import { createCourse } from '@/lib/data/courses';

export const dynamic = 'force-dynamic';

/** Admins get every course, lecturers only their own. */
export const GET = route({}, async ({ user }) =>
  Response.json({ courses: await listCoursesWithCounts(lecturerScope(user)) }),
);

export const POST = route({ roles: ['admin'], body: createCourseBody }, async ({ body, user }) => {
  const course = await createCourse(
    { code: body.code, courseName: body.courseName, lecturerId: body.lecturerId ?? null, room: body.room ?? null },
    user.id,
  );
  return Response.json(course, { status: 201 });
});
