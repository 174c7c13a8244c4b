import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { createStudentBody, pageQuery } from '@/lib/dashboard/schemas';
import { searchStudents } from '@/lib/data/student-directory';
import { createStudent } from '@/lib/data/students';
import { page, studentRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Search students (paged)',
    roles: ['admin'],
    query: pageQuery,
    response: { json: page(studentRow.extend({ photos: z.number().int(), templates: z.number().int() })) },
  },
  async ({ query }) => Response.json(await searchStudents(query)),
);

export const POST = route(
  {
    summary: 'Create a student',
    roles: ['admin'],
    body: createStudentBody,
    response: { status: 201, json: studentRow },
  },
  async ({ body, user }) => {
    const student = await createStudent(
      { name: body.name, studentNumber: body.studentNumber ?? null, email: body.email ?? null, photo: null },
      user.id,
    );
    return Response.json(student, { status: 201 });
  },
);
