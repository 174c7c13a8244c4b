import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { LIVE_STREAMS_PER_USER, liveAttendanceStream, liveStreamSlots } from '@/lib/dashboard/live-stream';
import { streamEndCheck } from '@/lib/dashboard/live-stream-end';
import { AppError } from '@/lib/errors';
import { attendanceChangedSince, listLiveAttendance, listLiveUnknownFaces } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

/**
 * Server-Sent Events: `snapshot` then `upsert` events as the worker (or a person) writes rows, the
 * review queue as `unknown`, and `end` when the user is signed out or the session is over.
 */
export const GET = route(
  {
    summary:
      'Server-Sent Events: `snapshot`, then `upsert` as rows change, `unknown` when the review queue changes, and `end` (DB polled every 500 ms)',
    params: pathParams('sessionId'),
    ownCourse: true,
    response: { contentType: ['text/event-stream'] },
  },
  async ({ req, params, user }) => {
    const { session } = await sessionWithCourseAccess(params.sessionId, user);
    const check = await streamEndCheck(user.id, session.sessionId);
    const release = liveStreamSlots.acquire(user.id);
    if (!release)
      throw new AppError(
        'RATE_LIMITED',
        `At most ${LIVE_STREAMS_PER_USER} live views can be open at once; close another tab showing a live session`,
      );
    const stream = liveAttendanceStream({
      poll: (since) => attendanceChangedSince(session.sessionId, since),
      snapshot: () => listLiveAttendance(session.sessionId),
      unknown: () => listLiveUnknownFaces(session.sessionId),
      check,
      signal: req.signal,
      onClose: release,
    });
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
  },
);
