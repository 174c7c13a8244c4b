import { route } from '@/lib/auth/route';
import { createUserBody } from '@/lib/dashboard/schemas';
import { createUser, generatePassword, listUsers, nameFromEmail, toPublicUser } from '@/lib/data/users';

export const dynamic = 'force-dynamic';

export const GET = route({ roles: ['admin'] }, async () => Response.json({ users: await listUsers() }));

/** Without a password in the body, one is generated and is in the response, once. */
export const POST = route({ roles: ['admin'], body: createUserBody }, async ({ body, user }) => {
  const password = body.password ?? generatePassword();
  const created = await createUser(
    { email: body.email, name: body.name ?? nameFromEmail(body.email), role: body.role, password },
    user.id,
  );
  return Response.json(
    { user: toPublicUser(created), ...(body.password === undefined ? { password } : {}) },
    { status: 201 },
  );
});
