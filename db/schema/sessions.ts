import { boolean, date, double, index, int, mysqlEnum, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { cameras } from './cameras';
import { createdAt, updatedAt, utcDatetime, uuidPk, uuidRef } from './columns';
import { courses } from './courses';
import { students } from './students';
import { timetables } from './timetables';
import { users } from './users';

export const SESSION_STATUSES = ['scheduled', 'open', 'closed', 'cancelled'] as const;
export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused', 'manual'] as const;
export const ATTENDANCE_SOURCES = ['camera', 'manual'] as const;

export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export type AttendanceSource = (typeof ATTENDANCE_SOURCES)[number];

export const classSessions = mysqlTable(
  'class_sessions',
  {
    sessionId: uuidPk('session_id'),
    courseId: uuidRef('course_id')
      .notNull()
      .references(() => courses.courseId, { onDelete: 'cascade' }),
    cameraId: uuidRef('camera_id').references(() => cameras.cameraId, { onDelete: 'set null' }),
    /** Local calendar date of the session, 'YYYY-MM-DD'. */
    date: date('date', { mode: 'string' }).notNull(),
    startsAt: utcDatetime('starts_at').notNull(),
    endsAt: utcDatetime('ends_at').notNull(),
    room: varchar('room', { length: 64 }),
    /** Null means the global ATTENDANCE_LATE_MINUTES. */
    lateAfterMinutes: int('late_after_minutes'),
    status: mysqlEnum('status', SESSION_STATUSES).notNull().default('scheduled'),
    closedAt: utcDatetime('closed_at'),
    /** The weekly pattern that created the session, if any; editing the pattern only touches future, never-run ones. */
    timetableId: uuidRef('timetable_id').references(() => timetables.timetableId, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('class_sessions_course_start_unique').on(t.courseId, t.startsAt),
    // The worker asks "which session is this camera in right now?".
    index('class_sessions_camera_time_idx').on(t.cameraId, t.startsAt, t.endsAt),
    index('class_sessions_date_idx').on(t.date),
    index('class_sessions_timetable_idx').on(t.timetableId),
  ],
);

export const attendances = mysqlTable(
  'attendances',
  {
    attendanceId: uuidPk('attendance_id'),
    sessionId: uuidRef('session_id')
      .notNull()
      .references(() => classSessions.sessionId, { onDelete: 'cascade' }),
    studentId: uuidRef('student_id')
      .notNull()
      .references(() => students.studentId, { onDelete: 'cascade' }),
    /** First sighting; never moved by later sightings. */
    timestamp: utcDatetime('timestamp').notNull(),
    lastSeen: utcDatetime('last_seen').notNull(),
    status: mysqlEnum('status', ATTENDANCE_STATUSES).notNull().default('present'),
    confidence: double('confidence'),
    cameraId: uuidRef('camera_id').references(() => cameras.cameraId, { onDelete: 'set null' }),
    source: mysqlEnum('source', ATTENDANCE_SOURCES).notNull().default('camera'),
    markedBy: uuidRef('marked_by').references(() => users.userId, { onDelete: 'set null' }),
    reason: varchar('reason', { length: 500 }),
    /** Mean liveness score of the track's sightings (null: not checked, camera liveness off). */
    livenessScore: double('liveness_score'),
    /** Recorded although the face looked like a photo or a screen (camera liveness `flag`): for review. */
    livenessDoubtful: boolean('liveness_doubtful').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('attendances_session_student_unique').on(t.sessionId, t.studentId),
    index('attendances_student_time_idx').on(t.studentId, t.timestamp),
    index('attendances_session_status_idx').on(t.sessionId, t.status),
    // Covering index for the reports' per-student counts: no row lookups across 100k rows.
    index('attendances_session_status_student_idx').on(t.sessionId, t.status, t.studentId),
  ],
);

export type ClassSession = typeof classSessions.$inferSelect;
export type NewClassSession = typeof classSessions.$inferInsert;
export type Attendance = typeof attendances.$inferSelect;
export type NewAttendance = typeof attendances.$inferInsert;

/**
 * Class mood of a session: how many sightings (faces in the worker's periodic mood frames) looked
 * happy, neutral, tired (both eyes closed) or other. Counts only: no student, track or time.
 */
export const sessionMood = mysqlTable('session_mood', {
  sessionId: uuidRef('session_id')
    .primaryKey()
    .references(() => classSessions.sessionId, { onDelete: 'cascade' }),
  happy: int('happy').notNull().default(0),
  neutral: int('neutral').notNull().default(0),
  tired: int('tired').notNull().default(0),
  other: int('other').notNull().default(0),
  /** Faces whose eyes were big enough to read: "tired" is a share of these, not of all. */
  eyesRead: int('eyes_read').notNull().default(0),
  updatedAt: updatedAt(),
});

export type SessionMood = typeof sessionMood.$inferSelect;
