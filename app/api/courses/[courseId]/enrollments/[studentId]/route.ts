import { pathParams, route } from '@/lib/auth/route';
import { unenroll } from '@/lib/data/course-admin';
import { getCourseOrThrow } from '@/lib/data/courses';
import { getStudentOrThrow } from '@/lib/data/students';
import { AppError, localized } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export const DELETE = route(
  {
    summary: 'Unenrol a student (past attendance stays; audited); 404 when not enrolled',
    params: pathParams('courseId', 'studentId'),
    roles: ['admin'],
    response: { status: 204 },
  },
  async ({ params, user }) => {
    const [course, student] = await Promise.all([
      getCourseOrThrow(params.courseId),
      getStudentOrThrow(params.studentId),
    ]);
    if (!(await unenroll(course.courseId, student.studentId, user.id))) {
      throw new AppError('NOT_FOUND', localized('error.notEnrolled', { name: student.name, code: course.code }));
    }
    return new Response(null, { status: 204 });
  },
);
