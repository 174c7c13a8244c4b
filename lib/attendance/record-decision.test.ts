import { describe, expect, it } from 'vitest';
import { recordDecision, type DecisionContext } from './record-decision';

const start = new Date('2025-03-03T09:00:00Z');
const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({
  decision: { status: 'recognized', identity: 'stu-1', score: 0.71234, votes: 3 },
  session: {
    sessionId: 's1',
    cameraId: 'cam',
    startsAt: start,
    endsAt: new Date(start.getTime() + 90 * 60_000),
    lateAfterMinutes: null,
    status: 'open',
  },
  cameraId: 'cam',
  seenAt: new Date(start.getTime() + 60_000),
  isEnrolled: (id) => id === 'stu-1',
  settings: { earlyMinutes: 15, lateMinutes: 10 },
  ...over,
});

describe('recordDecision', () => {
  it('records an enrolled student seen in the window, first sighting time, rounded confidence', () => {
    expect(recordDecision(ctx())).toEqual({
      status: 'record',
      input: {
        sessionId: 's1',
        studentId: 'stu-1',
        seenAt: new Date(start.getTime() + 60_000),
        status: 'present',
        confidence: 0.7123,
        cameraId: 'cam',
        source: 'camera',
      },
    });
  });

  it('marks arrivals after the grace period late', () => {
    const out = recordDecision(ctx({ seenAt: new Date(start.getTime() + 20 * 60_000) }));
    expect(out).toMatchObject({ status: 'record', input: { status: 'late' } });
  });

  it('never records a student who is not enrolled in the course', () => {
    expect(recordDecision(ctx({ isEnrolled: () => false }))).toEqual({ status: 'skipped', reason: 'not-enrolled' });
  });

  it('records nothing without an active session, for unknown faces, or outside the window', () => {
    expect(recordDecision(ctx({ session: undefined }))).toEqual({ status: 'skipped', reason: 'no-session' });
    expect(
      recordDecision(ctx({ decision: { status: 'unknown', reason: 'tie', votes: 6, bestIdentity: null } })),
    ).toEqual({ status: 'skipped', reason: 'unknown-face' });
    expect(recordDecision(ctx({ seenAt: new Date(start.getTime() - 60 * 60_000) }))).toEqual({
      status: 'skipped',
      reason: 'too-early',
    });
    expect(recordDecision(ctx({ seenAt: new Date(start.getTime() + 2 * 60 * 60_000) }))).toEqual({
      status: 'skipped',
      reason: 'ended',
    });
  });
});
