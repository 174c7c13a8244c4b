import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { localDate } from '@/lib/dashboard/query';
import { updateSessionBody } from '@/lib/dashboard/schemas';
import { updateSession } from '@/lib/data/session-admin';
import { assertSessionPlace } from '@/lib/data/sessions';
import { courseRow, sessionRow } from '@/lib/dashboard/responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: 'A session with its course',
    params: pathParams('sessionId'),
    ownCourse: true,
    response: { json: sessionRow.extend({ course: courseRow }) },
  },
  async ({ params, user }) => {
    const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
    return Response.json({ ...session, course });
  },
);

export const PATCH = route(
  {
    summary: 'Edit a session',
    params: pathParams('sessionId'),
    ownCourse: true,
    body: updateSessionBody,
    response: { json: sessionRow },
  },
  async ({ params, body, user }) => {
    const { session, course } = await sessionWithCourseAccess(params.sessionId, user);
    // Every change of place or time, and every status that puts the session back on the calendar, runs the rules.
    const reopens = body.status === 'scheduled' || body.status === 'open';
    if (reopens || body.room !== undefined || body.cameraId !== undefined || body.startsAt || body.endsAt) {
      const room = body.room !== undefined ? body.room : session.room;
      // A room the session already had stays allowed (an admin may have put it there).
      const courseRoom = body.room === undefined ? room : course.room;
      await assertSessionPlace(
        {
          sessionId: session.sessionId,
          courseRoom,
          room,
          cameraId: body.cameraId !== undefined ? body.cameraId : session.cameraId,
          cameraKept: body.cameraId === undefined || body.cameraId === session.cameraId,
          startsAt: body.startsAt ?? session.startsAt,
          endsAt: body.endsAt ?? session.endsAt,
        },
        user,
      );
    }
    const updated = await updateSession(
      session.sessionId,
      { ...body, ...(body.startsAt ? { date: localDate(body.startsAt) } : {}) },
      user.id,
    );
    return Response.json(updated);
  },
);
