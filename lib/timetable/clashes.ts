/**
 * Timetable clashes: pure, no database. A timetable is refused (409) when any date it would write
 * overlaps another session in the same camera, the same room or the same course; the error lists every
 * clashing date, and a lecturer is never shown another lecturer's course ("another course").
 */
import { AppError } from '@/lib/errors';
import type { Occurrence } from './timetable-dates';

/** Who asks: a lecturer is shown no other lecturer's course in a clash; `id` absent means none is theirs. */
export interface PlaceActor {
  role: 'admin' | 'lecturer';
  id?: string;
}

/** Whether a clash may name the other session's course to `actor`: admins see all, lecturers their own. */
export const mayNameCourse = (actor: PlaceActor, lecturerId: string | null): boolean =>
  actor.role === 'admin' || (actor.id !== undefined && lecturerId === actor.id);

/** Where a timetable's sessions take place. */
export interface TimetablePlace {
  courseId: string;
  cameraId: string | null;
  room: string | null;
}

/** A session already booked (not cancelled, not of the timetable being edited) that may overlap. */
export interface BookedSession {
  sessionId: string;
  courseId: string;
  cameraId: string | null;
  room: string | null;
  startsAt: Date;
  endsAt: Date;
  courseCode: string;
  lecturerId: string | null;
  cameraName: string | null;
}

export interface Clash {
  date: string;
  /** What the two sessions share. */
  reason: 'camera' | 'room' | 'course';
  /** Null, like `courseCode` "another course", when the viewer may not see the other course (mayNameCourse). */
  sessionId: string | null;
  courseCode: string;
  lecturerId: string | null;
  startsAt: Date;
  endsAt: Date;
  room: string | null;
  cameraName: string | null;
}

/** Room names compare without case or surrounding spaces ("a101 " is A101). */
export const sameRoom = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** What `place` shares with `s`, the camera first, then the room, then the course; null when nothing. */
export function clashReason(place: TimetablePlace, s: BookedSession): Clash['reason'] | null {
  if (place.cameraId && s.cameraId === place.cameraId) return 'camera';
  if (sameRoom(place.room, s.room)) return 'room';
  if (s.courseId === place.courseId) return 'course';
  return null;
}

/** Each booked session that overlaps an occurrence and shares its camera, room or course, by date. */
export function findClashes(place: TimetablePlace, occurrences: Occurrence[], booked: BookedSession[]): Clash[] {
  const clashes: Clash[] = [];
  for (const o of occurrences) {
    for (const s of booked) {
      if (!(s.startsAt < o.endsAt && o.startsAt < s.endsAt)) continue;
      const reason = clashReason(place, s);
      if (reason)
        clashes.push({
          date: o.date,
          reason,
          sessionId: s.sessionId,
          courseCode: s.courseCode,
          lecturerId: s.lecturerId,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          room: s.room,
          cameraName: s.cameraName,
        });
    }
  }
  return clashes;
}

/** The clashes as `viewer` may see them: another lecturer's course is "another course", without its session. */
export function clashesFor(clashes: Clash[], viewer: PlaceActor): Clash[] {
  return clashes.map((c) =>
    mayNameCourse(viewer, c.lecturerId) ? c : { ...c, courseCode: 'another course', sessionId: null, lecturerId: null },
  );
}

/** The message names at most this many clashes; `details.clashes` has them all. */
const NAMED_IN_MESSAGE = 10;

/** "camera Front door", "room A101" or "same course". */
const sharedPart = (c: Clash) =>
  c.reason === 'camera'
    ? `camera ${c.cameraName ?? ''}`.trim()
    : c.reason === 'room'
      ? `room ${c.room}`
      : 'same course';

const describeClash = (c: Clash) => `${c.date} (${c.courseCode}, ${sharedPart(c)})`;

/** The 409 for a refused timetable: every clashing date, as `viewer` may see them. */
export function clashError(all: Clash[], viewer: PlaceActor): AppError {
  const clashes = clashesFor(all, viewer);
  const dates = [...new Set(clashes.map((c) => c.date))];
  const named = clashes.slice(0, NAMED_IN_MESSAGE).map(describeClash).join(', ');
  const more = clashes.length > NAMED_IN_MESSAGE ? ', …' : '';
  return new AppError(
    'CONFLICT',
    `Nothing was saved: the timetable overlaps other sessions on ${dates.length} date(s): ${named}${more}`,
    {
      details: {
        dates,
        clashes: clashes.map((c) => ({ ...c, startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString() })),
      },
    },
  );
}
