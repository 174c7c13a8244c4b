import { pathParams, route } from '@/lib/auth/route';
import { confirmErasure } from '@/lib/enrollment/student-self-service';
import { erasedBiometrics } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    summary:
      "Confirm a student's own erasure request: their photos, templates and attributed crops are erased (audited); 409 without a pending request",
    params: pathParams('studentId'),
    roles: ['admin'],
    response: { json: erasedBiometrics },
  },
  async ({ params, user }) => {
    return Response.json(await confirmErasure(params.studentId, user.id));
  },
);
