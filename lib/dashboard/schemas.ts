import { z } from 'zod';
import { CAMERA_MODES, LIVENESS_MODES } from '@/db/schema';

/** Request bodies and query strings of the JSON API, shared by the routes and the OpenAPI document. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
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

export const createCourseBody = z.object({
  code: z.string().trim().min(1).max(32),
  courseName: z.string().trim().min(1).max(255),
  lecturerId: uuid.nullable().optional(),
  room: z.string().trim().max(64).nullable().optional(),
});

export const updateCourseBody = z.object({
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
  .refine((b) => b.endsAt > b.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });

export const updateSessionBody = z.object({
  cameraId: uuid.nullable().optional(),
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date().optional(),
  room: z.string().trim().max(64).nullable().optional(),
  lateAfterMinutes: z.number().int().min(0).max(240).nullable().optional(),
  status: z.enum(['scheduled', 'open', 'closed', 'cancelled']).optional(),
});

export const manualMarkBody = z.object({
  studentId: uuid,
  status: z.enum(['present', 'absent', 'late', 'excused']),
  reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(500),
});

export const removeAttendanceBody = z.object({ reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(500) });

export const reviewUnknownBody = z.object({ studentId: uuid.nullable() });

/** A lecturer's verdict on a face the liveness check doubted. */
export const classMoodBody = z.object({ enabled: z.boolean({ error: 'Say true (count class mood) or false (do not)' }) });

export const livenessReviewBody = z.object({ verdict: z.enum(['real', 'spoof'], { error: 'Say "real" or "spoof"' }) });

/** "This is <student>": attendance is recorded unless the reviewer unticks it. */
export const assignUnknownBody = z.object({ studentId: uuid, recordAttendance: z.boolean().default(true) });

export const createCameraBody = z.object({
  name: z.string().trim().min(1).max(128),
  room: z.string().trim().max(64).nullable().optional(),
  mode: z.enum(CAMERA_MODES).default('push'),
  streamUrl: z.url().max(1024).nullable().optional(),
  snapshotUrl: z.url().max(1024).nullable().optional(),
  /** What a face that looks like a photo or a screen does (default `flag`, the column's default). */
  liveness: z.enum(LIVENESS_MODES, { error: 'Liveness must be off, flag or block' }).optional(),
});

export const updateCameraBody = createCameraBody.partial();

export const reportQuery = z.object({
  from: isoDate,
  to: isoDate,
  courseId: uuid.optional(),
  threshold: z.coerce.number().min(0).max(100).default(75),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

/** The per-session matrix of one course (students × sessions). */
export const matrixQuery = z.object({
  courseId: uuid,
  from: isoDate,
  to: isoDate,
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
