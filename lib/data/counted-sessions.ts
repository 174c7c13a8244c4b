/**
 * The one rule for which sessions count in rates (reports, the matrix, their downloads, the overview):
 * a session counts once it has started, unless it was cancelled. A session later today is nobody's
 * absence yet.
 */
import { and, lte, ne, type SQL } from 'drizzle-orm';
import { classSessions, type ClassSession } from '@/db/schema';

export function sessionCounts(s: Pick<ClassSession, 'status' | 'startsAt'>, now: Date): boolean {
  return s.status !== 'cancelled' && s.startsAt <= now;
}

/** The same rule as a WHERE condition on `class_sessions`. */
export function countedSessionsWhere(now: Date): SQL {
  return and(ne(classSessions.status, 'cancelled'), lte(classSessions.startsAt, now))!;
}

/** For downloads and pages: what the figures leave out. */
export const COUNTED_SESSIONS_NOTE = 'Sessions not started yet and cancelled ones are not counted.';
