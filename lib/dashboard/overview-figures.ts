import { sessionCounts } from '@/lib/data/counted-sessions';
import type { SessionListRow } from '@/lib/data/session-admin';

/** Attended ÷ enrolled over the sessions that have started (not cancelled); null when none. */
export function attendanceRate(sessions: readonly SessionListRow[], now = new Date()): number | null {
  const started = sessions.filter((s) => sessionCounts(s, now));
  const enrolled = started.reduce((n, s) => n + s.enrolled, 0);
  return enrolled === 0 ? null : started.reduce((n, s) => n + s.attended, 0) / enrolled;
}

/** Sessions whose end has passed while they were never opened (no camera, nobody pressed "Start"). */
export function neverRun(sessions: readonly SessionListRow[], now = new Date()): SessionListRow[] {
  return sessions.filter((s) => s.status === 'scheduled' && s.endsAt < now);
}
