import { route } from '@/lib/auth/route';
import { fileDisputeBody } from '@/lib/dashboard/student-schemas';
import { fileDispute } from '@/lib/data/disputes';

export const dynamic = 'force-dynamic';

/** The signed-in student disputes their record in one session of their course (audited). */
export const POST = route({ roles: ['student'], body: fileDisputeBody }, async ({ user, body }) => {
  const dispute = await fileDispute({ studentId: user.id, ...body });
  return Response.json({ dispute }, { status: 201 });
});
