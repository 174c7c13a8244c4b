import { pathParams, route } from '@/lib/auth/route';
import { sessionChecker } from '@/lib/auth/session-check';
import { setPasswordBody } from '@/lib/dashboard/schemas';
import { generatePassword, resetPassword, toPublicUser } from '@/lib/data/users';

export const dynamic = 'force-dynamic';

/** Sets the given password, or a generated one that is in the response, once. Every session of the user ends. */
export const POST = route(
  { params: pathParams('userId'), roles: ['admin'], body: setPasswordBody },
  async ({ params, body, user }) => {
    const password = body.password ?? generatePassword();
    const updated = await resetPassword(params.userId, password, user.id);
    sessionChecker.forget(updated.userId);
    return Response.json({ user: toPublicUser(updated), ...(body.password === undefined ? { password } : {}) });
  },
);
