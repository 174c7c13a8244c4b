import { pathParams, route } from '@/lib/auth/route';
import { confirmErasure } from '@/lib/enrollment/student-self-service';

export const dynamic = 'force-dynamic';

/** An admin confirms a student's erasure request: their photos and templates are erased (audited). */
export const POST = route({ params: pathParams('studentId'), roles: ['admin'] }, async ({ params, user }) => {
  return Response.json(await confirmErasure(params.studentId, user.id));
});
