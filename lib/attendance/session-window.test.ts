import { describe, expect, it } from 'vitest';
import { activeSessionAt, attendanceWindow, classifyArrival, type SessionTimes } from './session-window';

const settings = { earlyMinutes: 15, lateMinutes: 10 };
const at = (hhmm: string) => new Date(`2025-03-03T${hhmm}:00Z`);
const session = (over: Partial<SessionTimes> = {}): SessionTimes => ({
  sessionId: 's1',
  cameraId: 'cam',
  startsAt: at('09:00'),
  endsAt: at('10:30'),
  lateAfterMinutes: null,
  status: 'scheduled',
  ...over,
});

describe('attendanceWindow / classifyArrival', () => {
  it('opens early, is late after the grace period, closes at the end', () => {
    expect(attendanceWindow(session(), settings)).toEqual({
      opensAt: at('08:45'),
      lateAt: at('09:10'),
      closesAt: at('10:30'),
    });
    expect(classifyArrival(session(), at('08:44'), settings)).toEqual({ status: 'skipped', reason: 'too-early' });
    expect(classifyArrival(session(), at('08:45'), settings)).toEqual({ status: 'accepted', attendance: 'present' });
    expect(classifyArrival(session(), at('09:10'), settings)).toEqual({ status: 'accepted', attendance: 'present' });
    expect(classifyArrival(session(), at('09:11'), settings)).toEqual({ status: 'accepted', attendance: 'late' });
    expect(classifyArrival(session(), at('10:30'), settings)).toEqual({ status: 'accepted', attendance: 'late' });
    expect(classifyArrival(session(), at('10:31'), settings)).toEqual({ status: 'skipped', reason: 'ended' });
  });

  it("uses the session's own late_after_minutes over the global default", () => {
    expect(classifyArrival(session({ lateAfterMinutes: 0 }), at('09:01'), settings)).toMatchObject({
      attendance: 'late',
    });
    expect(classifyArrival(session({ lateAfterMinutes: 30 }), at('09:25'), settings)).toMatchObject({
      attendance: 'present',
    });
  });

  it('records nothing for cancelled or closed sessions', () => {
    expect(classifyArrival(session({ status: 'cancelled' }), at('09:05'), settings)).toEqual({
      status: 'skipped',
      reason: 'not-running',
    });
    expect(classifyArrival(session({ status: 'closed' }), at('09:05'), settings)).toMatchObject({ status: 'skipped' });
  });
});

describe('activeSessionAt', () => {
  const first = session({ sessionId: 'a' });
  const next = session({ sessionId: 'b', startsAt: at('10:40'), endsAt: at('12:00') });
  const elsewhere = session({ sessionId: 'c', cameraId: 'other' });

  it('finds the session running on this camera only', () => {
    expect(activeSessionAt([first, next, elsewhere], 'cam', at('09:30'), settings)?.sessionId).toBe('a');
    expect(activeSessionAt([elsewhere], 'cam', at('09:30'), settings)).toBeUndefined();
    expect(activeSessionAt([first, next], 'cam', at('13:00'), settings)).toBeUndefined();
  });

  it('prefers the running session over the next one whose early window has opened', () => {
    expect(activeSessionAt([next, first], 'cam', at('10:29'), settings)?.sessionId).toBe('a');
    expect(activeSessionAt([next, first], 'cam', at('10:31'), settings)?.sessionId).toBe('b');
  });
});
