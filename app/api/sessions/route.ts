import { courseWithAccess, lecturerScope } from '@/lib/auth/access';
import { route } from '@/lib/auth/route';
import { addDays, localDate } from '@/lib/dashboard/query';
import { createSessionBody, sessionRangeQuery } from '@/lib/dashboard/schemas';
import { listSessionsWithCounts } from '@/lib/data/session-admin';
import { createSession, assertSessionPlace } from '@/lib/data/sessions';
import { sessionRow } from '@/lib/dashboard/responses';
import { sessionList } from '@/lib/dashboard/course-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary:
      'Sessions in [from, to] (default: the last 7 and the next 14 days) with counts (lecturers: their own courses)',
    query: sessionRangeQuery,
    response: { json: sessionList },
  },
  async ({ query: q, user }) => {
    const today = localDate();
    const sessions = await listSessionsWithCounts({
      from: q.from ?? addDays(today, -7),
      to: q.to ?? addDays(today, 14),
      lecturerId: lecturerScope(user),
    });
    return Response.json({ sessions });
  },
);

export const POST = route(
  {
    summary: 'Schedule a session',
    ownCourse: true,
    body: createSessionBody,
    response: { status: 201, json: sessionRow },
  },
  async ({ body, user }) => {
    const course = await courseWithAccess(body.courseId, user);
    const room = body.room ?? course.room;
    await assertSessionPlace(
      { courseRoom: course.room, room, cameraId: body.cameraId ?? null, startsAt: body.startsAt, endsAt: body.endsAt },
      user,
    );
    const session = await createSession(
      {
        courseId: course.courseId,
        cameraId: body.cameraId ?? null,
        date: localDate(body.startsAt),
        startsAt: body.startsAt,
        endsAt: body.endsAt,
        room,
        lateAfterMinutes: body.lateAfterMinutes ?? null,
        status: 'scheduled',
      },
      user.id,
    );
    return Response.json(session, { status: 201 });
  },
);
