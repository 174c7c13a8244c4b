import 'server-only';
import type { z } from 'zod';
import type { Course, Timetable } from '@/db/schema';
import { getTimetableOrThrow, type TimetableInput, type TimetableWriteResult } from '@/lib/data/timetables';
import type { Clash } from '@/lib/timetable/clashes';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import type { createTimetableBody } from './schemas';

/** The route body as the data layer's input: missing camera/room/zone/late fall back to the defaults. */
export function timetableInputFrom(
  course: Pick<Course, 'courseId'>,
  body: z.infer<typeof createTimetableBody>,
): TimetableInput {
  return {
    courseId: course.courseId,
    weekdays: body.weekdays,
    startTime: body.startTime,
    endTime: body.endTime,
    fromDate: body.fromDate,
    toDate: body.toDate,
    exceptDates: body.exceptDates,
    timeZone: body.timeZone ?? env().CAMPUS_TIMEZONE,
    cameraId: body.cameraId ?? null,
    room: body.room ?? null,
    lateAfterMinutes: body.lateAfterMinutes ?? null,
  };
}

/** The timetable, 404 unless it belongs to `courseId` (the course the caller was checked against). */
export async function getCourseTimetableOrThrow(courseId: string, timetableId: string): Promise<Timetable> {
  const t = await getTimetableOrThrow(timetableId);
  if (t.courseId !== courseId) throw new AppError('NOT_FOUND', `Timetable ${timetableId} not found in this course`);
  return t;
}

export const clashJson = (c: Clash) => ({ ...c, startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString() });

export function writeResultJson(r: TimetableWriteResult) {
  return {
    timetable: r.timetable,
    sessions: {
      created: r.created,
      updated: r.updated,
      removed: r.removed,
      kept: r.kept,
      skippedPast: r.skippedPast,
      dates: r.dates,
    },
  };
}

const log = createLogger('timetables');

/** One info line per saved change (the audit row has the full pattern). */
export function logTimetableWrite(action: 'created' | 'updated', r: TimetableWriteResult, actorUserId: string): void {
  log.info(
    {
      timetableId: r.timetable.timetableId,
      courseId: r.timetable.courseId,
      actorUserId,
      created: r.created,
      updated: r.updated,
      removed: r.removed,
      kept: r.kept,
      skippedPast: r.skippedPast,
    },
    `timetable ${action}`,
  );
}

export function logTimetableDelete(
  timetableId: string,
  r: { removed: number; kept: number },
  actorUserId: string,
): void {
  log.info({ timetableId, actorUserId, removed: r.removed, kept: r.kept }, 'timetable deleted');
}
