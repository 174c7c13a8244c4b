import { sessionWithCourseAccess } from '@/lib/auth/access';
import { pathParams, route } from '@/lib/auth/route';
import { LIVE_STREAMS_PER_USER, liveAttendanceStream, liveStreamSlots } from '@/lib/dashboard/live-stream';
import { AppError } from '@/lib/errors';
import { attendanceChangedSince, listLiveAttendance } from '@/lib/data/live-attendance';

export const dynamic = 'force-dynamic';

/** Server-Sent Events: `snapshot` then `upsert` events as the worker (or a person) writes rows. */
export const GET = route({ params: pathParams('sessionId') }, async ({ req, params, user }) => {
  const { session } = await sessionWithCourseAccess(params.sessionId, user);
  const release = liveStreamSlots.acquire(user.id);
  if (!release)
    throw new AppError(
      'RATE_LIMITED',
      `At most ${LIVE_STREAMS_PER_USER} live views can be open at once; close another tab showing a live session`,
    );
  const stream = liveAttendanceStream({
    poll: (since) => attendanceChangedSince(session.sessionId, since),
    snapshot: () => listLiveAttendance(session.sessionId),
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
});
