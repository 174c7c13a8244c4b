import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { bulkEnrollBody } from '@/lib/dashboard/schemas';
import { bulkEnroll } from '@/lib/data/course-admin';
import { listEnrolledStudents } from '@/lib/data/courses';
import { formatMessage } from '@/lib/i18n/dictionary';

export const dynamic = 'force-dynamic';

export const GET = route({ params: pathParams('courseId') }, async ({ params, user }) => {
  const course = await courseWithAccess(params.courseId, user);
  return Response.json({ students: await listEnrolledStudents(course.courseId) });
});

/** Bulk add by student number or id; unknown keys come back in `notFound`, `summary` says it in a sentence. */
export const POST = route(
  { params: pathParams('courseId'), roles: ['admin'], body: bulkEnrollBody },
  async ({ params, body, user, lang }) => {
    const courseId = params.courseId;
    const result = await bulkEnroll(courseId, body.students, user.id);
    const summary = [
      formatMessage(lang, 'enroll.summary', { added: result.added, already: result.alreadyEnrolled }),
      result.notFound.length > 0 ? formatMessage(lang, 'enroll.notFound', { list: result.notFound.join(', ') }) : '',
    ]
      .filter(Boolean)
      .join(' ');
    return Response.json({ ...result, summary });
  },
);
