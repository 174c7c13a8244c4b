/** What the system tells people about, and the one-line text every chat channel shows. */
import type { DigestSession } from '@/lib/data/notification-events';
import type { AttendanceCounts } from '@/lib/data/types';

export type { DigestSession };

export type NotificationEvent =
  | {
      type: 'session.closed';
      sessionId: string;
      courseCode: string;
      courseName: string;
      startsAt: string;
      endsAt: string;
      counts: AttendanceCounts;
    }
  | {
      type: 'camera.offline';
      cameraId: string;
      cameraName: string;
      room: string | null;
      lastSeenAt: string;
      minutes: number;
    }
  | {
      type: 'attendance.arrival';
      sessionId: string;
      courseCode: string;
      studentId: string;
      studentName: string;
      status: string;
      at: string;
    }
  | DailyDigest;

/** A route's daily summary (digest = daily): the sessions of `date` in `timeZone` of its course or lecturer. */
export type DailyDigest = { type: 'digest.daily'; date: string; timeZone: string; sessions: DigestSession[] };

/** `09:00` in the campus time zone. */
export function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
}

/** `CS101 Intro 09:00–10:30: 25 present, 3 late, 2 absent, 1 excused of 31; 2 unknown faces to review`. */
export function digestSessionLine(s: DigestSession, timeZone: string): string {
  const c = s.counts;
  const time = `${localTime(s.startsAt, timeZone)}–${localTime(s.endsAt, timeZone)}`;
  const state = s.status === 'over' ? '' : ` (${s.status})`;
  const unknown = s.unknownWaiting
    ? `; ${s.unknownWaiting} unknown face${s.unknownWaiting === 1 ? '' : 's'} to review`
    : '';
  return `${s.courseCode} ${s.courseName} ${time}${state}: ${c.present} present, ${c.late} late, ${c.absent} absent, ${c.excused} excused of ${c.enrolled}${unknown}`;
}

export function eventText(e: NotificationEvent): string {
  switch (e.type) {
    case 'session.closed':
      return `Attendance closed for ${e.courseCode} ${e.courseName} (${e.startsAt.slice(0, 16).replace('T', ' ')} UTC): ${e.counts.present} present, ${e.counts.late} late, ${e.counts.absent} absent of ${e.counts.enrolled}.`;
    case 'camera.offline':
      return `Camera ${e.cameraName}${e.room ? ` (${e.room})` : ''} has been offline for ${e.minutes} min (last seen ${e.lastSeenAt.slice(0, 16).replace('T', ' ')} UTC).`;
    case 'attendance.arrival':
      return `${e.studentName} arrived (${e.status}) in ${e.courseCode} at ${e.at.slice(11, 16)} UTC.`;
    case 'digest.daily':
      return `Attendance summary for ${e.date} (${e.timeZone}): ${e.sessions.map((s) => digestSessionLine(s, e.timeZone)).join('; ')}.`;
  }
}
