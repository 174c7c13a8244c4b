import { route } from '@/lib/auth/route';
import { requestErasure } from '@/lib/data/student-accounts';

export const dynamic = 'force-dynamic';

/** The signed-in student asks for their biometric data to be erased; an admin confirms it (audited). */
export const POST = route({ roles: ['student'] }, async ({ user }) => {
  const requestedAt = await requestErasure(user.id);
  return Response.json({ requestedAt }, { status: 202 });
});
