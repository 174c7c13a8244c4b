import { route } from '@/lib/auth/route';
import { getMyDataSummary, listMyAttendance } from '@/lib/data/student-self';
import { AppError } from '@/lib/errors';
import { myData } from '@/lib/dashboard/student-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      "The signed-in student's own courses, counted sessions with their status and time, and what data is held about them",
    roles: ['student'],
    response: { json: myData },
  },
  async ({ user }) => {
    const data = await getMyDataSummary(user.id);
    if (!data) throw new AppError('NOT_FOUND', 'Student not found');
    return Response.json({ data, courses: await listMyAttendance(user.id) });
  },
);
