import type { z } from 'zod';
import { validationError } from '@/lib/validation';

/**
 * Parses a request's query string with `schema`; a bad value is a 400 VALIDATION AppError with a
 * sentence per parameter. An empty parameter (`?from=` from a form left blank) counts as absent.
 */
export function parseQuery<T extends z.ZodType>(req: Request | URLSearchParams, schema: T): z.infer<T> {
  const params = req instanceof URLSearchParams ? req : new URL(req.url).searchParams;
  const input = Object.fromEntries([...params].filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, input);
  return parsed.data;
}

/** Local calendar date 'YYYY-MM-DD' (sessions store the room's local date). */
export function localDate(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() + days);
  return localDate(d);
}

/** A session's column in reports: its local date and 24-hour start time, e.g. `2027-02-03 09:00`. */
export function sessionLabel(s: { date: string; startsAt: Date | string }): string {
  const d = new Date(s.startsAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${s.date} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
