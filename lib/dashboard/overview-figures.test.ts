import { describe, expect, it } from 'vitest';
import type { SessionListRow } from '@/lib/data/session-admin';
import { attendanceRate, neverRun } from './overview-figures';

const now = new Date('2027-02-10T12:00:00Z');
const row = (o: Partial<SessionListRow>): SessionListRow =>
  ({
    sessionId: Math.random().toString(36),
    status: 'closed',
    startsAt: new Date('2027-02-09T09:00:00Z'),
    endsAt: new Date('2027-02-09T10:40:00Z'),
    enrolled: 10,
    attended: 8,
    ...o,
  }) as SessionListRow;

describe('overview figures', () => {
  it('rates attended over enrolled across sessions that started, leaving out cancelled and future ones', () => {
    expect(attendanceRate([row({}), row({ attended: 4 })], now)).toBeCloseTo(0.6);
    expect(
      attendanceRate(
        [
          row({}),
          row({ status: 'cancelled', attended: 0 }),
          row({ startsAt: new Date('2027-02-11T09:00:00Z'), attended: 0 }),
        ],
        now,
      ),
    ).toBeCloseTo(0.8);
    expect(attendanceRate([], now)).toBeNull();
  });

  it('lists sessions past their end that were never opened', () => {
    const missed = row({ status: 'scheduled' });
    expect(
      neverRun([missed, row({}), row({ status: 'scheduled', endsAt: new Date('2027-02-10T13:00:00Z') })], now),
    ).toEqual([missed]);
  });
});
