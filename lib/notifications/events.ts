/** What the system tells people about, and the one-line text every chat channel shows. */
import type { AttendanceCounts } from '@/lib/data/types';

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
    };

export function eventText(e: NotificationEvent): string {
  switch (e.type) {
    case 'session.closed':
      return `Attendance closed for ${e.courseCode} ${e.courseName} (${e.startsAt.slice(0, 16).replace('T', ' ')} UTC): ${e.counts.present} present, ${e.counts.late} late, ${e.counts.absent} absent of ${e.counts.enrolled}.`;
    case 'camera.offline':
      return `Camera ${e.cameraName}${e.room ? ` (${e.room})` : ''} has been offline for ${e.minutes} min (last seen ${e.lastSeenAt.slice(0, 16).replace('T', ' ')} UTC).`;
    case 'attendance.arrival':
      return `${e.studentName} arrived (${e.status}) in ${e.courseCode} at ${e.at.slice(11, 16)} UTC.`;
  }
}
