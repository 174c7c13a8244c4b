import { pathParams, route } from '@/lib/auth/route';
import { getStudentOrThrow } from '@/lib/data/students';
import { deleteStudentBiometrics } from '@/lib/enrollment/enroll-photo';

export const dynamic = 'force-dynamic';

/** Deletes every photo and template of the student (audited by the enrollment module). */
export const DELETE = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ params, user }) => {
  const student = await getStudentOrThrow(params.studentId);
  const result = await deleteStudentBiometrics(student.studentId, user.id);
  return Response.json(result);
});
