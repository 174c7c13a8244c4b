import { pathParams, route } from '@/lib/auth/route';
import { deleteQuery, updateStudentBody } from '@/lib/dashboard/schemas';
import { updateStudent } from '@/lib/data/students';
import { deleteStudent } from '@/lib/enrollment/delete-student';
import { studentDetailWithPhotoWarnings } from '@/lib/enrollment/photo-warnings';

export const dynamic = 'force-dynamic';

/** The student, their photos (one that does not look like the others has a `warning`) and attendance history. */
export const GET = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ params, lang }) =>
  Response.json(await studentDetailWithPhotoWarnings(params.studentId, { lang })),
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
