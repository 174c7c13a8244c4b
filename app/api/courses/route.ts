import { lecturerScope } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { createCourseBody } from '@/lib/dashboard/schemas';
import { listCoursesWithCounts } from '@/lib/data/course-admin';
import { createCourse } from '@/lib/data/courses';
import { courseRow } from '@/lib/dashboard/responses';
import { courseList } from '@/lib/dashboard/course-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Courses (lecturers: only their own)',
    response: { json: courseList },
  },
  async ({ user }) => Response.json({ courses: await listCoursesWithCounts(lecturerScope(user)) }),
);

export const POST = route(
  { summary: 'Create a course', roles: ['admin'], body: createCourseBody, response: { status: 201, json: courseRow } },
  async ({ body, user }) => {
    const course = await createCourse(
      { code: body.code, courseName: body.courseName, lecturerId: body.lecturerId ?? null, room: body.room ?? null },
      user.id,
    );
    return Response.json(course, { status: 201 });
  },
);
