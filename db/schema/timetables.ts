import { date, index, int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { cameras } from './cameras';
import { createdAt, jsonColumn, updatedAt, uuidPk, uuidRef } from './columns';
import { courses } from './courses';
import { users } from './users';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A weekly pattern ("every Monday and Wednesday 09:00–10:40 in A101 from … to …, except …") that
 * creates a course's class_sessions. Times are wall-clock times in `time_zone` (IANA name), so a
 * session stays at 09:00 local across a daylight-saving change; the sessions store instants.
 */
export const timetables = mysqlTable(
  'timetables',
  {
    timetableId: uuidPk('timetable_id'),
    courseId: uuidRef('course_id')
      .notNull()
      .references(() => courses.courseId, { onDelete: 'cascade' }),
    cameraId: uuidRef('camera_id').references(() => cameras.cameraId, { onDelete: 'set null' }),
    room: varchar('room', { length: 64 }),
    /** Comma-separated Weekday values, e.g. 'mon,wed'. */
    weekdays: varchar('weekdays', { length: 32 }).notNull(),
    /** 'HH:MM', local to `time_zone`. */
    startTime: varchar('start_time', { length: 5 }).notNull(),
    endTime: varchar('end_time', { length: 5 }).notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }).notNull(),
    /** Dates ('YYYY-MM-DD') inside the range with no session (holidays, exam weeks). */
    exceptDates: jsonColumn<string[]>('except_dates').notNull(),
    timeZone: varchar('time_zone', { length: 64 }).notNull(),
    /** Copied to each session; null means the global ATTENDANCE_LATE_MINUTES. */
    lateAfterMinutes: int('late_after_minutes'),
    createdBy: uuidRef('created_by').references(() => users.userId, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('timetables_course_idx').on(t.courseId)],
);

export type Timetable = typeof timetables.$inferSelect;
export type NewTimetable = typeof timetables.$inferInsert;
