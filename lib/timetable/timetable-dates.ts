/**
 * The dates and instants of a weekly timetable: pure, no database. A pattern says "every Monday
 * 09:00–10:40 from 2027-02-03 to 2027-05-30 except 2027-03-03" in wall-clock time of a campus time
 * zone; each occurrence becomes a session with UTC instants. 09:00 stays 09:00 local on both sides
 * of a daylight-saving change (the UTC instant moves instead).
 */
import { WEEKDAYS, type Weekday } from '@/db/schema/timetables';
import { AppError } from '@/lib/errors';

export { WEEKDAYS, type Weekday };

export interface TimetablePattern {
  weekdays: readonly Weekday[];
  /** 'HH:MM' local. */
  startTime: string;
  endTime: string;
  /** 'YYYY-MM-DD', inclusive. */
  fromDate: string;
  toDate: string;
  exceptDates: readonly string[];
  /** IANA name, e.g. 'Asia/Jakarta'. */
  timeZone: string;
}

export interface Occurrence {
  /** Local calendar date, 'YYYY-MM-DD'. */
  date: string;
  startsAt: Date;
  endsAt: Date;
}

/** A term is at most about a year; more is a typo in a year. */
export const MAX_RANGE_DAYS = 400;
export const MAX_OCCURRENCES = 500;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

/** Date.UTC midnight of a 'YYYY-MM-DD', or null when it is not a real calendar date. */
function dayNumber(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : null;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** How far `timeZone`'s wall clock is ahead of UTC at instant `t` (ms). */
function offsetAt(t: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which `timeZone`'s clocks show `date` `time`. A time that occurs twice (clocks go
 * back) is its first occurrence; one that does not exist (clocks jump forward) is moved on by the jump.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const day = dayNumber(date);
  const tm = TIME.exec(time);
  if (day === null || !tm) throw new AppError('VALIDATION', `Not a date and time: ${date} ${time}`);
  const wall = day + (Number(tm[1]) * 60 + Number(tm[2])) * 60_000;
  // The offsets a day either side cover any change on this date; keep the candidates that really show `wall`.
  const before = wall - offsetAt(wall - DAY_MS, timeZone);
  const after = wall - offsetAt(wall + DAY_MS, timeZone);
  const shows = [before, after].filter((t) => t + offsetAt(t, timeZone) === wall);
  return new Date(shows.length > 0 ? Math.min(...shows) : before);
}

/** The local calendar date ('YYYY-MM-DD') of an instant in `timeZone`. */
export function zonedDate(at: Date, timeZone: string): string {
  return isoDay(at.getTime() + offsetAt(at.getTime(), timeZone));
}

function weekdayOf(day: number): Weekday {
  // getUTCDay: 0 = Sunday.
  return WEEKDAYS[(new Date(day).getUTCDay() + 6) % 7] as Weekday;
}

/** Checks a pattern; every problem is a 400 with a sentence a lecturer can act on. */
export function validatePattern(p: TimetablePattern): void {
  if (p.weekdays.length === 0) throw new AppError('VALIDATION', 'Choose at least one weekday');
  const bad = p.weekdays.find((d) => !WEEKDAYS.includes(d));
  if (bad) throw new AppError('VALIDATION', `"${bad}" is not a weekday; use mon, tue, wed, thu, fri, sat or sun`);
  for (const [label, t] of [
    ['start', p.startTime],
    ['end', p.endTime],
  ] as const) {
    if (!TIME.test(t))
      throw new AppError('VALIDATION', `The ${label} time must look like 09:00 (24-hour clock), got "${t}"`);
  }
  if (p.endTime <= p.startTime)
    throw new AppError(
      'VALIDATION',
      `A session must end after it starts (${p.startTime}–${p.endTime}); sessions past midnight are not supported`,
    );
  const from = dayNumber(p.fromDate);
  const to = dayNumber(p.toDate);
  if (from === null)
    throw new AppError('VALIDATION', `The first date must be a date like 2027-02-03, got "${p.fromDate}"`);
  if (to === null) throw new AppError('VALIDATION', `The last date must be a date like 2027-05-30, got "${p.toDate}"`);
  if (to < from) throw new AppError('VALIDATION', `The last date (${p.toDate}) is before the first (${p.fromDate})`);
  if ((to - from) / DAY_MS > MAX_RANGE_DAYS)
    throw new AppError(
      'VALIDATION',
      `A timetable covers at most ${MAX_RANGE_DAYS} days; ${p.fromDate} to ${p.toDate} is longer`,
    );
  for (const d of p.exceptDates) {
    const n = dayNumber(d);
    if (n === null) throw new AppError('VALIDATION', `An exception must be a date like 2027-03-03, got "${d}"`);
    if (n < from || n > to)
      throw new AppError('VALIDATION', `The exception ${d} is outside ${p.fromDate} – ${p.toDate}`);
  }
  if (!isValidTimeZone(p.timeZone))
    throw new AppError('VALIDATION', `"${p.timeZone}" is not a time zone; use an IANA name such as Asia/Jakarta`);
}

/** Every occurrence of the pattern, earliest first (exception dates left out). */
export function expandPattern(p: TimetablePattern): Occurrence[] {
  validatePattern(p);
  const from = dayNumber(p.fromDate) as number;
  const to = dayNumber(p.toDate) as number;
  const days = new Set(p.weekdays);
  const except = new Set(p.exceptDates);
  const out: Occurrence[] = [];
  for (let day = from; day <= to; day += DAY_MS) {
    const date = isoDay(day);
    if (!days.has(weekdayOf(day)) || except.has(date)) continue;
    out.push({
      date,
      startsAt: zonedInstant(date, p.startTime, p.timeZone),
      endsAt: zonedInstant(date, p.endTime, p.timeZone),
    });
  }
  if (out.length > MAX_OCCURRENCES)
    throw new AppError('VALIDATION', `That is ${out.length} sessions; one timetable makes at most ${MAX_OCCURRENCES}`);
  return out;
}

/** "Mon, Wed 09:00–10:40" for lists. */
export function describePattern(p: Pick<TimetablePattern, 'weekdays' | 'startTime' | 'endTime'>): string {
  const names = p.weekdays.map((d) => d.charAt(0).toUpperCase() + d.slice(1)).join(', ');
  return `${names} ${p.startTime}–${p.endTime}`;
}

/** 'mon,wed' → ['mon', 'wed'] (unknown words dropped; the column is written by this code only). */
export function parseWeekdays(csv: string): Weekday[] {
  return csv
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s): s is Weekday => (WEEKDAYS as readonly string[]).includes(s));
}
