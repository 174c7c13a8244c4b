import { pathParams, route } from '@/lib/auth/route';
import { sessionChecker } from '@/lib/auth/session-check';
import { setPasswordBody } from '@/lib/dashboard/schemas';
import { generatePassword, resetPassword, toPublicUser } from '@/lib/data/users';
import { userWithPassword } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary: "Set a user's password (or have one generated, returned once); ends all their sessions (audited)",
    params: pathParams('userId'),
    roles: ['admin'],
    body: setPasswordBody,
    response: { json: userWithPassword },
  },
  async ({ params, body, user }) => {
    const password = body.password ?? generatePassword();
    const updated = await resetPassword(params.userId, password, user.id);
    sessionChecker.forget(updated.userId);
    return Response.json({ user: toPublicUser(updated), ...(body.password === undefined ? { password } : {}) });
  },
);
