/**
 * When a session accepts arrivals and when they count as late. Pure: the worker passes the sessions
 * it loaded and the time a face was seen.
 */
import type { AttendanceStatus, ClassSession } from '@/db/schema';

export interface WindowSettings {
  /** ATTENDANCE_EARLY_MINUTES: arrivals count from this long before the start. */
  earlyMinutes: number;
  /** ATTENDANCE_LATE_MINUTES: default grace after the start; a session's late_after_minutes wins. */
  lateMinutes: number;
}

export type SessionTimes = Pick<
  ClassSession,
  'sessionId' | 'cameraId' | 'startsAt' | 'endsAt' | 'lateAfterMinutes' | 'status'
>;

/** A session a camera's frames count for. `classMood`: its course counts class mood (PRIVACY.md). */
export type ActiveSession = SessionTimes & { courseId: string; classMood?: boolean };

export interface AttendanceWindow {
  opensAt: Date;
  lateAt: Date;
  closesAt: Date;
}

const MINUTE = 60_000;

export function attendanceWindow(session: SessionTimes, settings: WindowSettings): AttendanceWindow {
  const start = session.startsAt.getTime();
  const grace = session.lateAfterMinutes ?? settings.lateMinutes;
  return {
    opensAt: new Date(start - settings.earlyMinutes * MINUTE),
    lateAt: new Date(start + grace * MINUTE),
    closesAt: session.endsAt,
  };
}

export type Arrival =
  | { status: 'accepted'; attendance: Extract<AttendanceStatus, 'present' | 'late'> }
  | { status: 'skipped'; reason: 'too-early' | 'ended' | 'not-running' };

/** Present until the grace period is over, late after it, nothing outside [opensAt, closesAt]. */
export function classifyArrival(session: SessionTimes, at: Date, settings: WindowSettings): Arrival {
  if (session.status === 'cancelled' || session.status === 'closed')
    return { status: 'skipped', reason: 'not-running' };
  const w = attendanceWindow(session, settings);
  const t = at.getTime();
  if (t < w.opensAt.getTime()) return { status: 'skipped', reason: 'too-early' };
  if (t > w.closesAt.getTime()) return { status: 'skipped', reason: 'ended' };
  return { status: 'accepted', attendance: t > w.lateAt.getTime() ? 'late' : 'present' };
}

/**
 * The session running on `cameraId` at `at`. When two windows overlap (a session's early window
 * reaching into the previous one), the one already started wins, then the earliest start.
 */
export function activeSessionAt<S extends SessionTimes>(
  sessions: readonly S[],
  cameraId: string,
  at: Date,
  settings: WindowSettings,
): S | undefined {
  const t = at.getTime();
  const open = sessions.filter(
    (s) => s.cameraId === cameraId && classifyArrival(s, at, settings).status === 'accepted',
  );
  open.sort((a, b) => {
    const aStarted = a.startsAt.getTime() <= t ? 0 : 1;
    const bStarted = b.startsAt.getTime() <= t ? 0 : 1;
    return aStarted - bStarted || a.startsAt.getTime() - b.startsAt.getTime();
  });
  return open[0];
}
