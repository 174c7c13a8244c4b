/** `timetable add|list|remove`: weekly patterns that create a course's sessions (README, Admin CLI). */
import { WEEKDAYS, type Weekday } from '@/db/schema';
import { describePattern } from '@/lib/timetable/timetable-dates';
import { findCameraByName } from '@/lib/data/cameras';
import { findCourseByCode } from '@/lib/data/courses';
import { createTimetable, deleteTimetable, listTimetables } from '@/lib/data/timetables';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { UsageError, type ParsedCommand } from './args';

type Result = { json: unknown; text: string };
type Options = ParsedCommand['options'];
const str = (o: Options, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `mon,wed` or `monday,Wednesday` → ['mon', 'wed']; anything else is a usage error. */
export function parseWeekdayOption(value: string): Weekday[] {
  const days = list(value).map((d) => d.toLowerCase().slice(0, 3));
  const bad = days.find((d) => !(WEEKDAYS as readonly string[]).includes(d));
  if (bad !== undefined || days.length === 0)
    throw new UsageError(
      `timetable add: --weekday takes mon, tue, wed, thu, fri, sat, sun (comma-separated), got "${value}"`,
    );
  return [...new Set(days)] as Weekday[];
}

async function courseOrThrow(code: string) {
  const course = await findCourseByCode(code);
  if (!course)
    throw new AppError(
      'NOT_FOUND',
      `Unknown course "${code}" (create it with: courses add --code ${code} --name NAME)`,
    );
  return course;
}

export async function timetableAdd(o: Options): Promise<Result> {
  const weekdays = parseWeekdayOption(str(o, 'weekday') ?? '');
  const course = await courseOrThrow(str(o, 'course') ?? '');
  const cameraName = str(o, 'camera');
  const camera = cameraName ? await findCameraByName(cameraName) : undefined;
  if (cameraName && !camera)
    throw new AppError(
      'NOT_FOUND',
      `Unknown camera "${cameraName}" (create it with: cameras add --name ${cameraName})`,
    );
  const r = await createTimetable(
    {
      courseId: course.courseId,
      cameraId: camera?.cameraId ?? null,
      room: str(o, 'room') ?? null,
      weekdays,
      startTime: str(o, 'start') ?? '',
      endTime: str(o, 'end') ?? '',
      fromDate: str(o, 'from') ?? '',
      toDate: str(o, 'to') ?? '',
      exceptDates: list(str(o, 'except')),
      timeZone: str(o, 'tz') ?? env().CAMPUS_TIMEZONE,
      lateAfterMinutes: null,
    },
    null,
  );
  const t = r.timetable;
  const json = {
    timetable_id: t.timetableId,
    course_id: course.courseId,
    sessions_created: r.created,
    skipped_past: r.skippedPast,
    room: t.room,
    time_zone: t.timeZone,
    dates: r.dates,
  };
  const text = `Created timetable ${t.timetableId} for ${course.code}: ${describePattern({ weekdays, startTime: t.startTime, endTime: t.endTime })} (${t.timeZone})${t.room ? ` in ${t.room}` : ''}, ${r.created} session(s) from ${r.dates[0]} to ${r.dates.at(-1)}${r.skippedPast ? `; ${r.skippedPast} date(s) already past were skipped` : ''}.`;
  return { json, text };
}

export async function timetableList(o: Options): Promise<Result> {
  const course = await courseOrThrow(str(o, 'course') ?? '');
  const rows = await listTimetables(course.courseId);
  const json = rows.map((t) => ({
    timetable_id: t.timetableId,
    weekdays: t.weekdayList,
    start: t.startTime,
    end: t.endTime,
    from: t.fromDate,
    to: t.toDate,
    except: t.exceptDates,
    time_zone: t.timeZone,
    room: t.room,
    camera: t.cameraName,
    sessions: t.sessions,
    upcoming: t.upcoming,
  }));
  const text = json.length
    ? json
        .map(
          (t) =>
            `${t.timetable_id}  ${describePattern({ weekdays: t.weekdays, startTime: t.start, endTime: t.end })}  ${t.from}..${t.to}  ${t.room ?? '-'}  ${t.upcoming}/${t.sessions} upcoming`,
        )
        .join('\n')
    : `No timetables for ${course.code}.`;
  return { json, text };
}

export async function timetableRemove(o: Options): Promise<Result> {
  const id = str(o, 'id') ?? '';
  const r = await deleteTimetable(id, null);
  return {
    json: { timetable_id: id, removed_sessions: r.removed, kept_sessions: r.kept },
    text: `Removed timetable ${id}: ${r.removed} future session(s) deleted, ${r.kept} kept (they ran or have attendance).`,
  };
}
