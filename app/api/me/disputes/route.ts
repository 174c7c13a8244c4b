import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { fileDisputeBody } from '@/lib/dashboard/student-schemas';
import { fileDispute } from '@/lib/data/disputes';
import { disputeRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      'Dispute their own record in one counted session of their course ("was_there" or "not_me", a short text; audited)',
    roles: ['student'],
    body: fileDisputeBody,
    response: { status: 201, json: z.object({ dispute: disputeRow }) },
  },
  async ({ user, body }) => {
    const dispute = await fileDispute({ studentId: user.id, ...body });
    return Response.json({ dispute }, { status: 201 });
  },
);
