import { pathParams, route } from '@/lib/auth/route';
import { sessionChecker } from '@/lib/auth/session-check';
import { updateUserBody } from '@/lib/dashboard/schemas';
import { toPublicUser, updateUser } from '@/lib/data/users';

export const dynamic = 'force-dynamic';

/** Name, role, disabled. Disabling ends the user's sessions at their next request. */
export const PATCH = route(
  { params: pathParams('userId'), roles: ['admin'], body: updateUserBody },
  async ({ params, body, user }) => {
    const updated = await updateUser(params.userId, body, user.id);
    sessionChecker.forget(updated.userId);
    return Response.json(toPublicUser(updated));
  },
);
