import { pathParams, route } from '@/lib/auth/route';
import { unenroll } from '@/lib/data/course-admin';
import { getCourseOrThrow } from '@/lib/data/courses';
import { getStudentOrThrow } from '@/lib/data/students';
import { AppError, localized } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** Removes one student from the course; their past attendance stays. 404 when they were not enrolled. */
export const DELETE = route(
  { params: pathParams('courseId', 'studentId'), roles: ['admin'] },
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
