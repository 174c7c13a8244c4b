import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateStudentBody } from '@/lib/dashboard/schemas';
import { getStudentDetail } from '@/lib/data/student-directory';
import { updateStudent } from '@/lib/data/students';
import { deleteStudent } from '@/lib/enrollment/delete-student';

export const dynamic = 'force-dynamic';

export const GET = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ params }) =>
  Response.json(await getStudentDetail(params.studentId)),
);

/** Name, student number, email; a number another student has → 409 with the sentence on `studentNumber`. */
export const PATCH = route(
  { params: pathParams('studentId'), roles: ['admin'], body: updateStudentBody },
  async ({ params, body, user }) => {
    const student = await updateStudent(params.studentId, body, user.id);
    return Response.json(student);
  },
);

/** Erases the student's biometrics and deletes them; with attendance rows only when `?cascade=true` (else 409). */
export const DELETE = route(
  { params: pathParams('studentId'), query: deleteQuery, roles: ['admin'] },
  async ({ params, query: { cascade }, user }) => {
    return Response.json(await deleteStudent(params.studentId, user.id, { cascade }));
  },
);
