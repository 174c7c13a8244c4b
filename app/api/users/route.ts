import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { createUserBody } from '@/lib/dashboard/schemas';
import { createUser, generatePassword, listUsers, nameFromEmail, toPublicUser } from '@/lib/data/users';
import { userRow, userWithPassword } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'Dashboard users (admins and lecturers) with role, disabledAt and last sign-in',
    roles: ['admin'],
    response: { json: z.object({ users: z.array(userRow) }) },
  },
  async () => Response.json({ users: await listUsers() }),
);

export const POST = route(
  {
    summary: 'Add a user; without `password` one is generated and returned once (`password` in the response)',
    roles: ['admin'],
    body: createUserBody,
    response: { status: 201, json: userWithPassword },
  },
  async ({ body, user }) => {
    const password = body.password ?? generatePassword();
    const created = await createUser(
      { email: body.email, name: body.name ?? nameFromEmail(body.email), role: body.role, password },
      user.id,
    );
    return Response.json(
      { user: toPublicUser(created), ...(body.password === undefined ? { password } : {}) },
      { status: 201 },
    );
  },
);
