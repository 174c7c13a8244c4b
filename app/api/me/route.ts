import { route } from '@/lib/auth/route';
import { getMyDataSummary, listMyAttendance } from '@/lib/data/student-self';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The signed-in student's own attendance per course and what data is held about them (students only). */
export const GET = route({ roles: ['student'] }, async ({ user }) => {
  const data = await getMyDataSummary(user.id);
  if (!data) throw new AppError('NOT_FOUND', 'Student not found');
  return Response.json({ data, courses: await listMyAttendance(user.id) });
});
