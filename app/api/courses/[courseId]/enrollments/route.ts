import { z } from 'zod';
import { courseWithAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { bulkEnrollBody } from '@/lib/dashboard/schemas';
import { bulkEnroll } from '@/lib/data/course-admin';
import { listEnrolledStudents } from '@/lib/data/courses';
import { formatMessage } from '@/lib/i18n/dictionary';
import { studentRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Enrolled students',
    params: pathParams('courseId'),
    ownCourse: true,
    response: { json: z.object({ students: z.array(studentRow) }) },
  },
  async ({ params, user }) => {
    const course = await courseWithAccess(params.courseId, user);
    return Response.json({ students: await listEnrolledStudents(course.courseId) });
  },
);

export const POST = route(
  {
    summary: 'Enrol students in bulk by number or id: {added, alreadyEnrolled, notFound, summary}',
    params: pathParams('courseId'),
    roles: ['admin'],
    body: bulkEnrollBody,
    response: {
      json: z.object({
        added: z.number().int(),
        alreadyEnrolled: z.number().int(),
        notFound: z.array(z.string()),
        summary: z.string(),
      }),
    },
  },
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
