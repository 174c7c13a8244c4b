import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { getStudentOrThrow } from '@/lib/data/students';
import { deleteStudentBiometrics } from '@/lib/enrollment/enroll-photo';
import { erasedBiometrics } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const DELETE = route(
  {
    summary: 'Delete all photos and templates of a student (audited)',
    params: pathParams('studentId'),
    roles: ['admin'],
    response: { json: erasedBiometrics.extend({ studentId: z.string() }) },
  },
  async ({ params, user }) => {
    const student = await getStudentOrThrow(params.studentId);
    const result = await deleteStudentBiometrics(student.studentId, user.id);
    return Response.json(result);
  },
);
