/**
 * What saving a timetable does to its sessions: pure, no database.
 * - only occurrences that start after `now` become sessions (a term already under way gets its rest);
 * - a session that has started, is no longer `scheduled`, or has any attendance row is locked: an edit
 *   or a delete of its pattern never changes or deletes it, and its date is not created again;
 * - an edit moves the pattern's free (unlocked) session on a date it keeps, and removes the others.
 */
import { AppError } from '@/lib/errors';
import type { Occurrence, TimetablePattern } from './timetable-dates';

export interface PreviewOccurrence extends Occurrence {
  /** Starts at or before now: not created. */
  past: boolean;
  /** An edit keeps the session already on this date (it ran, is running, or has attendance). */
  kept: boolean;
}

/** One of the timetable's sessions as planning sees it. */
export interface PlannedSession {
  sessionId: string;
  date: string;
  locked: boolean;
}

export interface Plan {
  occurrences: PreviewOccurrence[];
  /** Future occurrences to write: `sessionId` set when an existing free session moves. */
  writes: Array<Occurrence & { sessionId?: string }>;
  /** Free sessions on dates the pattern no longer has. */
  removals: string[];
  /** Locked sessions, left as they are. */
  kept: number;
}

/** Whether an edit or delete of the pattern must leave the session alone. */
export function isLocked(s: { startsAt: Date; status: string }, attended: boolean, now: Date): boolean {
  return s.startsAt <= now || s.status !== 'scheduled' || attended;
}

/** The plan for `occurrences` (the pattern's dates) given the timetable's `existing` sessions (none when new). */
export function planSessions(occurrences: Occurrence[], existing: PlannedSession[], now: Date): Plan {
  const lockedDates = new Set(existing.filter((s) => s.locked).map((s) => s.date));
  const free = new Map(existing.filter((s) => !s.locked).map((s) => [s.date, s]));
  const marked = occurrences.map((o) => ({ ...o, past: o.startsAt <= now, kept: lockedDates.has(o.date) }));
  const writes = marked
    .filter((o) => !o.past && !o.kept)
    .map((o) => ({ date: o.date, startsAt: o.startsAt, endsAt: o.endsAt, sessionId: free.get(o.date)?.sessionId }));
  const moved = new Set(writes.map((w) => w.sessionId).filter(Boolean));
  const removals = [...free.values()].filter((s) => !moved.has(s.sessionId)).map((s) => s.sessionId);
  return { occurrences: marked, writes, removals, kept: existing.filter((s) => s.locked).length };
}

/** A new timetable must create at least one session: a 400 saying why it would not. */
export function assertCreatesSessions(plan: Plan, pattern: Pick<TimetablePattern, 'fromDate' | 'toDate'>): void {
  if (plan.occurrences.length === 0)
    throw new AppError(
      'VALIDATION',
      `No date from ${pattern.fromDate} to ${pattern.toDate} falls on the chosen weekday(s) outside the exceptions`,
    );
  if (plan.writes.length === 0)
    throw new AppError(
      'VALIDATION',
      `Every date of this timetable has already passed (the last is ${plan.occurrences.at(-1)!.date})`,
    );
}
