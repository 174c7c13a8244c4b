import { describe, expect, it } from 'vitest';
import {
  describePattern,
  expandPattern,
  parseWeekdays,
  validatePattern,
  zonedDate,
  zonedInstant,
  type TimetablePattern,
} from './timetable-dates';

const term: TimetablePattern = {
  weekdays: ['mon'],
  startTime: '09:00',
  endTime: '10:40',
  fromDate: '2027-02-03',
  toDate: '2027-05-30',
  exceptDates: ['2027-03-08'],
  timeZone: 'Asia/Jakarta',
};

describe('expandPattern', () => {
  it('every Monday of the term, the exception left out, in campus time (Jakarta, UTC+7, no DST)', () => {
    const occ = expandPattern(term);
    // 2027-02-03 is a Wednesday: the first Monday is 02-08, the last 05-24; 16 Mondays, one excepted.
    expect(occ.map((o) => o.date)).toHaveLength(15);
    expect(occ[0]).toEqual({
      date: '2027-02-08',
      startsAt: new Date('2027-02-08T02:00:00Z'),
      endsAt: new Date('2027-02-08T03:40:00Z'),
    });
    expect(occ.at(-1)?.date).toBe('2027-05-24');
    expect(occ.map((o) => o.date)).not.toContain('2027-03-08');
    expect(new Set(occ.map((o) => o.startsAt.getUTCHours()))).toEqual(new Set([2]));
  });

  it('several weekdays, earliest first', () => {
    const occ = expandPattern({
      ...term,
      weekdays: ['wed', 'mon'],
      fromDate: '2027-02-01',
      toDate: '2027-02-14',
      exceptDates: [],
    });
    expect(occ.map((o) => o.date)).toEqual(['2027-02-01', '2027-02-03', '2027-02-08', '2027-02-10']);
  });

  it('keeps 09:00 local across a daylight-saving change (Europe/Berlin: UTC+1 → UTC+2 on 2027-03-28)', () => {
    const occ = expandPattern({
      ...term,
      weekdays: ['mon'],
      fromDate: '2027-03-22',
      toDate: '2027-04-05',
      exceptDates: [],
      timeZone: 'Europe/Berlin',
    });
    expect(occ.map((o) => o.startsAt.toISOString())).toEqual([
      '2027-03-22T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
      '2027-04-05T07:00:00.000Z',
    ]);
    // The duration is the wall-clock one on every date.
    for (const o of occ) expect(o.endsAt.getTime() - o.startsAt.getTime()).toBe(100 * 60_000);
  });

  it('a date at the far side of UTC stays on its local date (Pacific/Auckland, UTC+13)', () => {
    const [o] = expandPattern({
      ...term,
      weekdays: ['mon'],
      fromDate: '2027-02-08',
      toDate: '2027-02-08',
      exceptDates: [],
      timeZone: 'Pacific/Auckland',
      startTime: '08:00',
      endTime: '09:00',
    });
    expect(o?.startsAt.toISOString()).toBe('2027-02-07T19:00:00.000Z');
    expect(o?.date).toBe('2027-02-08');
    expect(zonedDate(o!.startsAt, 'Pacific/Auckland')).toBe('2027-02-08');
  });
});

describe('zonedInstant at the changes themselves', () => {
  it('a time skipped by the spring change moves on by the jump', () => {
    expect(zonedInstant('2027-03-28', '02:30', 'Europe/Berlin').toISOString()).toBe('2027-03-28T01:30:00.000Z'); // 03:30 CEST
  });
  it('a time that occurs twice in autumn is its first occurrence', () => {
    expect(zonedInstant('2027-10-31', '02:30', 'Europe/Berlin').toISOString()).toBe('2027-10-31T00:30:00.000Z'); // 02:30 CEST
  });
  it('UTC is UTC', () => {
    expect(zonedInstant('2027-02-03', '09:00', 'UTC').toISOString()).toBe('2027-02-03T09:00:00.000Z');
  });
});

describe('validatePattern: a sentence for each mistake', () => {
  const bad = (patch: Partial<TimetablePattern>) => () => validatePattern({ ...term, ...patch });
  it.each([
    [{ weekdays: [] }, /at least one weekday/],
    [{ startTime: '9am' }, /start time must look like 09:00/],
    [{ endTime: '24:00' }, /end time must look like 09:00/],
    [{ startTime: '10:40', endTime: '09:00' }, /must end after it starts/],
    [{ fromDate: '2027-02-30' }, /first date must be a date/],
    [{ toDate: '2027-01-01' }, /before the first/],
    [{ toDate: '2029-01-01' }, /at most 400 days/],
    [{ exceptDates: ['2027-06-01'] }, /2027-06-01 is outside 2027-02-03 – 2027-05-30/],
    [{ exceptDates: ['3 March'] }, /exception must be a date/],
    [{ timeZone: 'Mars/Olympus' }, /not a time zone/],
  ] as const)('%o', (patch, message) => {
    expect(bad(patch as Partial<TimetablePattern>)).toThrow(message);
  });
  it('accepts the term', () => {
    expect(() => validatePattern(term)).not.toThrow();
  });
});

it('describes and parses weekdays', () => {
  expect(describePattern({ weekdays: ['mon', 'wed'], startTime: '09:00', endTime: '10:40' })).toBe(
    'Mon, Wed 09:00–10:40',
  );
  expect(parseWeekdays('mon, WED,xyz')).toEqual(['mon', 'wed']);
});
