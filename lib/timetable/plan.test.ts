import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { assertCreatesSessions, isLocked, planSessions, type PlannedSession } from './plan';
import { expandPattern, type TimetablePattern } from './timetable-dates';

// Mondays 09:00–10:00 UTC in March 2027: 03-01, 03-08, 03-15, 03-22, 03-29.
const march: TimetablePattern = {
  weekdays: ['mon'],
  startTime: '09:00',
  endTime: '10:00',
  fromDate: '2027-03-01',
  toDate: '2027-03-31',
  exceptDates: [],
  timeZone: 'UTC',
};
const dates = (xs: Array<{ date: string }>) => xs.map((x) => x.date);

describe('isLocked', () => {
  const now = new Date('2027-03-10T00:00:00Z');
  const future = { startsAt: new Date('2027-03-15T09:00:00Z'), status: 'scheduled' };

  it('a future scheduled session without attendance is free', () => {
    expect(isLocked(future, false, now)).toBe(false);
  });

  it('started, not scheduled any more, or with attendance: locked', () => {
    expect(isLocked({ ...future, startsAt: now }, false, now)).toBe(true);
    expect(isLocked({ ...future, status: 'cancelled' }, false, now)).toBe(true);
    expect(isLocked({ ...future, status: 'open' }, false, now)).toBe(true);
    expect(isLocked(future, true, now)).toBe(true);
  });
});

describe('planSessions', () => {
  it('a new timetable writes only the dates still to come; past ones are marked, not written', () => {
    const p = planSessions(expandPattern(march), [], new Date('2027-03-08T09:00:00Z'));
    expect(p.occurrences.map((o) => [o.date, o.past, o.kept])).toEqual([
      ['2027-03-01', true, false],
      ['2027-03-08', true, false], // starts exactly now: not created
      ['2027-03-15', false, false],
      ['2027-03-22', false, false],
      ['2027-03-29', false, false],
    ]);
    expect(dates(p.writes)).toEqual(['2027-03-15', '2027-03-22', '2027-03-29']);
    expect(p.writes.every((w) => w.sessionId === undefined)).toBe(true);
    expect(p).toMatchObject({ removals: [], kept: 0 });
  });

  it('an edit keeps locked dates, moves free sessions on dates it keeps, and removes the rest', () => {
    const existing: PlannedSession[] = [
      { sessionId: 'ran', date: '2027-03-01', locked: true },
      { sessionId: 'free-15', date: '2027-03-15', locked: false },
      { sessionId: 'free-16', date: '2027-03-16', locked: false },
      { sessionId: 'attended-22', date: '2027-03-22', locked: true },
    ];
    const p = planSessions(expandPattern(march), existing, new Date('2027-03-02T00:00:00Z'));
    expect(p.occurrences.map((o) => [o.date, o.past, o.kept])).toEqual([
      ['2027-03-01', true, true],
      ['2027-03-08', false, false],
      ['2027-03-15', false, false],
      ['2027-03-22', false, true],
      ['2027-03-29', false, false],
    ]);
    expect(p.writes.map((w) => [w.date, w.sessionId])).toEqual([
      ['2027-03-08', undefined],
      ['2027-03-15', 'free-15'],
      ['2027-03-29', undefined],
    ]);
    expect(p.removals).toEqual(['free-16']);
    expect(p.kept).toBe(2);
  });

  it('a locked session on a date the pattern no longer has is neither removed nor written', () => {
    const p = planSessions(
      expandPattern({ ...march, weekdays: ['tue'] }),
      [{ sessionId: 'ran', date: '2027-03-01', locked: true }],
      new Date('2027-02-01T00:00:00Z'),
    );
    expect(p.removals).toEqual([]);
    expect(p.kept).toBe(1);
    expect(dates(p.writes)).not.toContain('2027-03-01');
  });
});

describe('assertCreatesSessions', () => {
  const attempt = (pattern: TimetablePattern, now: string) => () =>
    assertCreatesSessions(planSessions(expandPattern(pattern), [], new Date(now)), pattern);

  it('passes when at least one session would be written', () => {
    expect(attempt(march, '2027-03-29T08:00:00Z')).not.toThrow();
  });

  it('no date on the chosen weekdays: a 400 naming the range', () => {
    const oneDay = { ...march, fromDate: '2027-03-02', toDate: '2027-03-02' };
    expect(attempt(oneDay, '2027-01-01T00:00:00Z')).toThrow(
      new AppError(
        'VALIDATION',
        'No date from 2027-03-02 to 2027-03-02 falls on the chosen weekday(s) outside the exceptions',
      ),
    );
    expect(attempt({ ...march, exceptDates: ['2027-03-01'], toDate: '2027-03-07' }, '2027-01-01T00:00:00Z')).toThrow(
      /^No date from 2027-03-01 to 2027-03-07/,
    );
  });

  it('every date already passed: a 400 naming the last one', () => {
    expect(attempt(march, '2027-03-29T09:00:00Z')).toThrow(
      'Every date of this timetable has already passed (the last is 2027-03-29)',
    );
    try {
      attempt(march, '2027-04-01T00:00:00Z')();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('VALIDATION');
    }
  });
});
