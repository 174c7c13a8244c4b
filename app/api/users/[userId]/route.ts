import { pathParams, route } from '@/lib/auth/route';
import { sessionChecker } from '@/lib/auth/session-check';
import { updateUserBody } from '@/lib/dashboard/schemas';
import { toPublicUser, updateUser } from '@/lib/data/users';
import { userRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  {
    summary:
      'Change name or role, or disable / enable (`disabled`); disabling ends their sessions at the next request; 409 for yourself or the last enabled admin (audited)',
    params: pathParams('userId'),
    roles: ['admin'],
    body: updateUserBody,
    response: { json: userRow },
  },
  async ({ params, body, user }) => {
    const updated = await updateUser(params.userId, body, user.id);
    sessionChecker.forget(updated.userId);
    return Response.json(toPublicUser(updated));
  },
);
