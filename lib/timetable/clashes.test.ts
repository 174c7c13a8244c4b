import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import {
  clashError,
  clashesFor,
  clashReason,
  findClashes,
  mayNameCourse,
  sameRoom,
  type BookedSession,
  type TimetablePlace,
} from './clashes';
import type { Occurrence } from './timetable-dates';

const at = (iso: string) => new Date(`${iso}Z`);
const occurrence = (date: string, from: string, to: string): Occurrence => ({
  date,
  startsAt: at(`${date}T${from}`),
  endsAt: at(`${date}T${to}`),
});

const place: TimetablePlace = { courseId: 'mine', cameraId: 'cam-1', room: 'A101' };

const booked = (over: Partial<BookedSession>): BookedSession => ({
  sessionId: 'other-session',
  courseId: 'other',
  cameraId: null,
  room: null,
  startsAt: at('2027-03-01T09:30'),
  endsAt: at('2027-03-01T10:30'),
  courseCode: 'CS200',
  lecturerId: 'lec-other',
  cameraName: null,
  ...over,
});

const mondays = [occurrence('2027-03-01', '09:00', '10:00'), occurrence('2027-03-08', '09:00', '10:00')];

describe('sameRoom', () => {
  it('ignores case and surrounding spaces, and never matches a missing room', () => {
    expect(sameRoom('A101', ' a101 ')).toBe(true);
    expect(sameRoom('A101', 'A102')).toBe(false);
    expect(sameRoom(null, 'A101')).toBe(false);
    expect(sameRoom(null, null)).toBe(false);
  });
});

describe('clashReason', () => {
  it('names the camera first, then the room, then the course', () => {
    const all = booked({ courseId: 'mine', cameraId: 'cam-1', room: 'A101' });
    expect(clashReason(place, all)).toBe('camera');
    expect(clashReason(place, { ...all, cameraId: 'cam-2' })).toBe('room');
    expect(clashReason(place, { ...all, cameraId: 'cam-2', room: 'B7' })).toBe('course');
    expect(clashReason(place, booked({ cameraId: 'cam-2', room: 'B7' }))).toBeNull();
  });

  it('a timetable without a camera does not clash with another camera-less session on "camera"', () => {
    expect(clashReason({ ...place, cameraId: null, room: null }, booked({ cameraId: null }))).toBeNull();
  });
});

describe('findClashes', () => {
  it('lists each overlapping session by the date it clashes on', () => {
    const clashes = findClashes(place, mondays, [
      booked({ cameraId: 'cam-1', cameraName: 'Front' }),
      booked({
        sessionId: 's2',
        room: 'a101',
        startsAt: at('2027-03-08T08:00'),
        endsAt: at('2027-03-08T09:01'),
      }),
    ]);
    expect(clashes.map((c) => [c.date, c.reason, c.sessionId])).toEqual([
      ['2027-03-01', 'camera', 'other-session'],
      ['2027-03-08', 'room', 's2'],
    ]);
    expect(clashes[0]).toMatchObject({ courseCode: 'CS200', lecturerId: 'lec-other', cameraName: 'Front' });
  });

  it('sessions that only touch an occurrence (end at its start, start at its end) do not clash', () => {
    const touching = [
      booked({ cameraId: 'cam-1', startsAt: at('2027-03-01T08:00'), endsAt: at('2027-03-01T09:00') }),
      booked({ cameraId: 'cam-1', startsAt: at('2027-03-01T10:00'), endsAt: at('2027-03-01T11:00') }),
    ];
    expect(findClashes(place, mondays, touching)).toEqual([]);
  });

  it('an overlapping session that shares nothing is no clash; no occurrences, no clashes', () => {
    expect(findClashes(place, mondays, [booked({ cameraId: 'cam-9', room: 'B7' })])).toEqual([]);
    expect(findClashes(place, [], [booked({ cameraId: 'cam-1' })])).toEqual([]);
  });
});

describe('who may see the other course', () => {
  const clashes = findClashes(place, mondays.slice(0, 1), [
    booked({ cameraId: 'cam-1', lecturerId: 'lec-other', courseCode: 'CS200' }),
    booked({ sessionId: 'own', courseId: 'mine', lecturerId: 'lec-me', courseCode: 'CS100' }),
  ]);

  it('an admin sees every course; a lecturer their own, others as "another course" without session or lecturer', () => {
    expect(mayNameCourse({ role: 'admin' }, 'lec-other')).toBe(true);
    expect(mayNameCourse({ role: 'lecturer', id: 'lec-me' }, 'lec-me')).toBe(true);
    expect(mayNameCourse({ role: 'lecturer', id: 'lec-me' }, 'lec-other')).toBe(false);
    expect(mayNameCourse({ role: 'lecturer' }, null)).toBe(false);

    expect(clashesFor(clashes, { role: 'admin' })).toEqual(clashes);
    const lecturer = clashesFor(clashes, { role: 'lecturer', id: 'lec-me' });
    expect(lecturer.map((c) => [c.courseCode, c.sessionId, c.lecturerId])).toEqual([
      ['another course', null, null],
      ['CS100', 'own', 'lec-me'],
    ]);
  });

  it('the 409 message names the course to an admin and hides it from another lecturer', () => {
    const admin = clashError(clashes, { role: 'admin' });
    expect(admin).toBeInstanceOf(AppError);
    expect(admin.code).toBe('CONFLICT');
    expect(admin.message).toBe(
      'Nothing was saved: the timetable overlaps other sessions on 1 date(s): 2027-03-01 (CS200, camera), 2027-03-01 (CS100, same course)',
    );
    const lecturer = clashError(clashes, { role: 'lecturer', id: 'lec-me' });
    expect(lecturer.message).toBe(
      'Nothing was saved: the timetable overlaps other sessions on 1 date(s): 2027-03-01 (another course, camera), 2027-03-01 (CS100, same course)',
    );
    expect(lecturer.message).not.toContain('CS200');
    expect(JSON.stringify(lecturer.details)).not.toContain('CS200');
    expect(JSON.stringify(lecturer.details)).not.toContain('other-session');
  });
});

describe('clashError', () => {
  it('names the camera and room, lists every date in details with ISO instants, and names ten at most', () => {
    const twelve = Array.from({ length: 12 }, (_, i) =>
      occurrence(`2027-03-${String(i + 1).padStart(2, '0')}`, '09:00', '10:00'),
    );
    const booking = twelve.map((o, i) =>
      booked({
        sessionId: `s${i}`,
        room: i === 0 ? 'A101' : null,
        cameraId: i === 0 ? null : 'cam-1',
        cameraName: 'Front door',
        startsAt: o.startsAt,
        endsAt: o.endsAt,
      }),
    );
    const err = clashError(findClashes(place, twelve, booking), { role: 'admin' });
    expect(err.message).toMatch(
      /^Nothing was saved: the timetable overlaps other sessions on 12 date\(s\): 2027-03-01 \(CS200, room A101\), 2027-03-02 \(CS200, camera Front door\), /,
    );
    expect(err.message).toContain('2027-03-10 (CS200, camera Front door), …');
    expect(err.message).not.toContain('2027-03-11');
    const details = err.details as { dates: string[]; clashes: Array<{ startsAt: string; sessionId: string }> };
    expect(details.dates).toHaveLength(12);
    expect(details.clashes).toHaveLength(12);
    expect(details.clashes[11]).toMatchObject({ sessionId: 's11', startsAt: '2027-03-12T09:00:00.000Z' });
  });
});
