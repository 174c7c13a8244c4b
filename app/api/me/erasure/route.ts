import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { requestErasure } from '@/lib/data/student-accounts';
import { isoTime } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary: 'Ask for their biometric data to be erased; an admin confirms (audited)',
    roles: ['student'],
    response: { status: 202, json: z.object({ requestedAt: isoTime }) },
  },
  async ({ user }) => {
    const requestedAt = await requestErasure(user.id);
    return Response.json({ requestedAt }, { status: 202 });
  },
);
