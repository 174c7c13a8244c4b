import { z } from 'zod';
import { CAMERA_MODES, LIVENESS_MODES, USER_ROLES, WEEKDAYS } from '@/db/schema';

/** Request bodies and query strings of the JSON API, shared by the routes and the OpenAPI document. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'field.dateOnly');
const uuid = z.string().min(1).max(36);

export const pageQuery = z.object({
  q: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});

export const createStudentBody = z.object({
  name: z.string().trim().min(1).max(255),
  studentNumber: z.string().trim().min(1).max(32).optional(),
  email: z.email().max(255).optional(),
});

/** Edit a student: any subset; null clears the number or email. */
export const updateStudentBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  studentNumber: z.string().trim().min(1).max(32).nullable().optional(),
  email: z.email().max(255).nullable().optional(),
});

/** Deletes that would take attendance records (or running sessions' camera) with them need `cascade=true`. */
export const deleteQuery = z.object({
  cascade: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const createCourseBody = z.object({
  code: z.string().trim().min(1).max(32),
  courseName: z.string().trim().min(1).max(255),
  lecturerId: uuid.nullable().optional(),
  room: z.string().trim().max(64).nullable().optional(),
});

export const updateCourseBody = z.object({
  code: z.string().trim().min(1).max(32).optional(),
  courseName: z.string().trim().min(1).max(255).optional(),
  lecturerId: uuid.nullable().optional(),
  room: z.string().trim().max(64).nullable().optional(),
});

export const bulkEnrollBody = z.object({ students: z.array(z.string().trim().min(1).max(36)).min(1).max(2000) });

export const sessionRangeQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

export const createSessionBody = z
  .object({
    courseId: uuid,
    cameraId: uuid.nullable().optional(),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    room: z.string().trim().max(64).nullable().optional(),
    lateAfterMinutes: z.number().int().min(0).max(240).nullable().optional(),
  })
  .refine((b) => b.endsAt > b.startsAt, { message: 'field.endsAfterStart', path: ['endsAt'] });

export const updateSessionBody = z.object({
  cameraId: uuid.nullable().optional(),
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date().optional(),
  room: z.string().trim().max(64).nullable().optional(),
  lateAfterMinutes: z.number().int().min(0).max(240).nullable().optional(),
  status: z.enum(['scheduled', 'open', 'closed', 'cancelled']).optional(),
});

/**
 * A weekly timetable. Shapes only here; the rules (times, dates, exceptions inside the range, time
 * zone) are checked in lib/timetable/timetable-dates.ts with a sentence per mistake.
 */
const timetableFields = {
  weekdays: z
    .array(z.enum(WEEKDAYS, { error: 'Weekdays are mon, tue, wed, thu, fri, sat and sun' }))
    .min(1, 'Choose at least one weekday')
    .max(7),
  startTime: z.string({ error: 'Give a start time such as 09:00' }).trim().max(5),
  endTime: z.string({ error: 'Give an end time such as 10:40' }).trim().max(5),
  fromDate: z.string({ error: 'Give the first date, e.g. 2027-02-03' }).trim().max(10),
  toDate: z.string({ error: 'Give the last date, e.g. 2027-05-30' }).trim().max(10),
  exceptDates: z.array(z.string().trim().max(10)).max(366),
  cameraId: uuid.nullable(),
  room: z.string().trim().max(64).nullable(),
  /** IANA zone; default CAMPUS_TIMEZONE. */
  timeZone: z.string().trim().min(1).max(64),
  lateAfterMinutes: z.number().int().min(0).max(240).nullable(),
};

export const createTimetableBody = z.object({
  ...timetableFields,
  exceptDates: timetableFields.exceptDates.default([]),
  cameraId: timetableFields.cameraId.optional(),
  room: timetableFields.room.optional(),
  timeZone: timetableFields.timeZone.optional(),
  lateAfterMinutes: timetableFields.lateAfterMinutes.optional(),
});

export const updateTimetableBody = z.object(timetableFields).partial();

/** The dates a pattern would give, before saving; `timetableId` previews an edit of that timetable. */
export const previewTimetableBody = createTimetableBody.extend({ timetableId: uuid.optional() });

export const manualMarkBody = z.object({
  studentId: uuid,
  status: z.enum(['present', 'absent', 'late', 'excused']),
  reason: z.string().trim().min(3, 'field.reason').max(500),
});

export const removeAttendanceBody = z.object({ reason: z.string().trim().min(3, 'field.reason').max(500) });

export const reviewUnknownBody = z.object({ studentId: uuid.nullable() });

/** A lecturer's verdict on a face the liveness check doubted. */
export const classMoodBody = z.object({
  enabled: z.boolean({ error: 'Say true (count class mood) or false (do not)' }),
});

export const livenessReviewBody = z.object({ verdict: z.enum(['real', 'spoof'], { error: 'field.verdict' }) });

/** "This is <student>": attendance is recorded unless the reviewer unticks it. */
export const assignUnknownBody = z.object({ studentId: uuid, recordAttendance: z.boolean().default(true) });

/** An admin's answer to a lecturer's "this is <student>" suggestion. */
export const decideSuggestionBody = z.object({
  decision: z.enum(['approve', 'decline'], { error: 'Answer approve or decline' }),
});

export const createCameraBody = z.object({
  name: z.string().trim().min(1).max(128),
  room: z.string().trim().max(64).nullable().optional(),
  mode: z.enum(CAMERA_MODES).default('push'),
  /** Checked in lib/devices/camera-setup.ts (a pull camera needs one; http(s) only), with a plain message. */
  streamUrl: z.string().trim().max(1024).nullable().optional(),
  snapshotUrl: z.string().trim().max(1024).nullable().optional(),
  /** What a face that looks like a photo or a screen does (default `flag`, the column's default). */
  liveness: z.enum(LIVENESS_MODES, { error: 'field.liveness' }).optional(),
});

/**
 * Edit a camera: only the fields named change. No defaults here (a `.partial()` of the create body kept
 * `mode`'s default, so renaming a pull camera made it a push camera).
 */
export const updateCameraBody = z.object({
  name: createCameraBody.shape.name.optional(),
  room: createCameraBody.shape.room,
  mode: z.enum(CAMERA_MODES).optional(),
  streamUrl: createCameraBody.shape.streamUrl,
  snapshotUrl: createCameraBody.shape.snapshotUrl,
  liveness: createCameraBody.shape.liveness,
});

export const reportQuery = z.object({
  from: isoDate,
  to: isoDate,
  courseId: uuid.optional(),
  threshold: z.coerce.number().min(0).max(100).default(75),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

// Users. Length and byte limits on passwords are checked where they are hashed (lib/data/users.ts).
const userName = z.string().trim().min(1, 'Enter a name').max(255, 'Names can be at most 255 characters');
const userRole = z.enum(USER_ROLES, { error: 'The role must be admin or lecturer' });
const newPassword = z
  .string({ error: 'The password must be text' })
  .max(1000, 'That password is far too long (at most 72 bytes)');

/** Without a password, one is generated and returned once. */
export const createUserBody = z.object({
  email: z.email({ error: 'Enter a valid email address' }).max(255, 'Email addresses can be at most 255 characters'),
  name: userName.optional(),
  role: userRole,
  password: newPassword.optional(),
});

export const updateUserBody = z.object({
  name: userName.optional(),
  role: userRole.optional(),
  disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
});

/** Without a password, one is generated and returned once. */
export const setPasswordBody = z.object({ password: newPassword.optional() });
/** Audit page / API filters: who (user id, or `system`), what (action), when (local days, inclusive). */
export const auditQuery = z.object({
  actor: z.union([z.literal('system'), uuid]).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The per-session matrix of one course (students × sessions). */
export const matrixQuery = z.object({
  courseId: uuid,
  from: isoDate,
  to: isoDate,
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
