import { route } from '@/lib/auth/route';
import { createStudentBody, pageQuery } from '@/lib/dashboard/schemas';
import { searchStudents } from '@/lib/data/student-directory';
import { createStudent } from '@/lib/data/students';

export const dynamic = 'force-dynamic';

export const GET = route({ roles: ['admin'], query: pageQuery }, async ({ query }) =>
  Response.json(await searchStudents(query)),
);

export const POST = route({ roles: ['admin'], body: createStudentBody }, async ({ body, user }) => {
  const student = await createStudent(
    { name: body.name, studentNumber: body.studentNumber ?? null, email: body.email ?? null, photo: null },
    user.id,
  );
  return Response.json(student, { status: 201 });
});
