import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateStudentBody } from '@/lib/dashboard/schemas';
import { updateStudent } from '@/lib/data/students';
import { deleteStudent } from '@/lib/enrollment/delete-student';
import { studentDetailWithPhotoWarnings } from '@/lib/enrollment/photo-warnings';
import { erasedBiometrics, studentDetail, studentRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      'Student with photos (one that does not look like the others has a `warning`), template count and attendance history',
    params: pathParams('studentId'),
    roles: ['admin'],
    response: { json: studentDetail },
  },
  async ({ params, lang }) => Response.json(await studentDetailWithPhotoWarnings(params.studentId, { lang })),
);

export const PATCH = route(
  {
    summary: 'Edit name, student number, email (audited); 409 with `fields.studentNumber` for a number in use',
    params: pathParams('studentId'),
    roles: ['admin'],
    body: updateStudentBody,
    response: { json: studentRow },
  },
  async ({ params, body, user }) => {
    const student = await updateStudent(params.studentId, body, user.id);
    return Response.json(student);
  },
);

export const DELETE = route(
  {
    summary:
      'Delete the student: erases photos, templates and attributed unknown faces, removes enrolments and attendance (audited). 409 `details.cascade` when they have attendance, unless cascade=true',
    params: pathParams('studentId'),
    query: deleteQuery,
    roles: ['admin'],
    response: {
      json: erasedBiometrics.extend({
        studentId: z.string(),
        attendances: z.number().int(),
        enrollments: z.number().int(),
      }),
    },
  },
  async ({ params, query: { cascade }, user }) => {
    return Response.json(await deleteStudent(params.studentId, user.id, { cascade }));
  },
);
