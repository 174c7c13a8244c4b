import { route } from '@/lib/auth/route';
import { parseQuery } from '@/lib/dashboard/query';
import { deleteQuery, updateStudentBody } from '@/lib/dashboard/schemas';
import { writeAudit } from '@/lib/data/audit';
import { getStudentDetail } from '@/lib/data/student-directory';
import { updateStudent } from '@/lib/data/students';
import { deleteStudent } from '@/lib/enrollment/delete-student';

export const dynamic = 'force-dynamic';

export const GET = route({ roles: ['admin'] }, async ({ params }) => Response.json(await getStudentDetail(String(params.studentId))));

/** Name, student number, email; a number another student has → 409 with the sentence on `studentNumber`. */
export const PATCH = route({ roles: ['admin'], body: updateStudentBody }, async ({ params, body, user }) => {
  const student = await updateStudent(String(params.studentId), body);
  await writeAudit({ actorUserId: user!.id, action: 'student.update', entity: 'student', entityId: student.studentId, details: body });
  return Response.json(student);
});

/** Erases the student's biometrics and deletes them; with attendance rows only when `?cascade=true` (else 409). */
export const DELETE = route({ roles: ['admin'] }, async ({ req, params, user }) => {
  const { cascade } = parseQuery(req, deleteQuery);
  return Response.json(await deleteStudent(String(params.studentId), user!.id, { cascade }));
});
