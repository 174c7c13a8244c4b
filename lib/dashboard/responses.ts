import { z } from 'zod';
import {
  ATTENDANCE_SOURCES,
  ATTENDANCE_STATUSES,
  CAMERA_MODES,
  CAMERA_STATUSES,
  DISPUTE_KINDS,
  DISPUTE_STATES,
  LIVENESS_MODES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_DIGESTS,
  NOTIFICATION_EVENT_KINDS,
  SESSION_STATUSES,
  UNKNOWN_FACE_KINDS,
  USER_ROLES,
} from '@/db/schema';

/**
 * The JSON bodies the API answers, as they travel (a Date is an ISO string). The routes declare them
 * (`response.json`), the API document shows them, and the role-matrix test checks real answers against them.
 */

export const isoTime = z.iso.datetime();
export const isoDate = z.iso.date();

export const studentRow = z.object({
  studentId: z.string(),
  studentNumber: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  photo: z.string().nullable(),
  /** Goes up when a new student number or e-mail ends the student's signed-in sessions. */
  sessionVersion: z.number().int(),
  erasureRequestedAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const courseRow = z.object({
  courseId: z.string(),
  code: z.string(),
  courseName: z.string(),
  lecturerId: z.string().nullable(),
  room: z.string().nullable(),
  classMood: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const sessionRow = z.object({
  sessionId: z.string(),
  courseId: z.string(),
  cameraId: z.string().nullable(),
  date: isoDate,
  startsAt: isoTime,
  endsAt: isoTime,
  room: z.string().nullable(),
  lateAfterMinutes: z.number().int().nullable(),
  status: z.enum(SESSION_STATUSES),
  closedAt: isoTime.nullable(),
  timetableId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

/** A camera without its token hash; `tokenPrefix` tells tokens apart. */
export const cameraRow = z.object({
  cameraId: z.string(),
  name: z.string(),
  room: z.string().nullable(),
  mode: z.enum(CAMERA_MODES),
  streamUrl: z.string().nullable(),
  snapshotUrl: z.string().nullable(),
  tokenPrefix: z.string().nullable(),
  lastSeenAt: isoTime.nullable(),
  lastHeartbeatAt: isoTime.nullable(),
  heartbeat: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(CAMERA_STATUSES),
  liveness: z.enum(LIVENESS_MODES),
  createdAt: isoTime,
  updatedAt: isoTime,
});

/** A dashboard user without the password hash. */
export const userRow = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  lastLoginAt: isoTime.nullable(),
  disabledAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const timetableRow = z.object({
  timetableId: z.string(),
  courseId: z.string(),
  cameraId: z.string().nullable(),
  room: z.string().nullable(),
  /** Comma-separated: `mon,wed`. */
  weekdays: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  fromDate: isoDate,
  toDate: isoDate,
  exceptDates: z.array(isoDate),
  timeZone: z.string(),
  lateAfterMinutes: z.number().int().nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

/** A timetable saved, and what happened to its sessions. */
export const timetableWrite = z.object({
  timetable: timetableRow,
  sessions: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
    kept: z.number().int(),
    skippedPast: z.number().int(),
    dates: z.array(isoDate),
  }),
});

export const clash = z.object({
  date: isoDate,
  reason: z.enum(['camera', 'room', 'course']),
  sessionId: z.string().nullable(),
  courseCode: z.string(),
  lecturerId: z.string().nullable(),
  startsAt: isoTime,
  endsAt: isoTime,
  room: z.string().nullable(),
  cameraName: z.string().nullable(),
});

/** A notification route; secrets masked (and a Slack URL, for a lecturer). */
export const notificationRoute = z.object({
  routeId: z.string(),
  courseId: z.string().nullable(),
  userId: z.string().nullable(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  target: z.string(),
  secret: z.string().nullable(),
  events: z.array(z.enum(NOTIFICATION_EVENT_KINDS)),
  enabled: z.boolean(),
  digest: z.enum(NOTIFICATION_DIGESTS),
  digestHour: z.number().int(),
  createdAt: isoTime,
});

export const liveAttendance = z.object({
  attendanceId: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  studentNumber: z.string().nullable(),
  status: z.enum(ATTENDANCE_STATUSES),
  timestamp: isoTime,
  lastSeen: isoTime,
  confidence: z.number().nullable(),
  source: z.enum(ATTENDANCE_SOURCES),
  reason: z.string().nullable(),
  livenessScore: z.number().nullable(),
  livenessDoubtful: z.boolean(),
  updatedAt: isoTime,
});

export const unknownFace = z.object({
  unknownId: z.string(),
  seenAt: isoTime,
  reviewed: z.boolean(),
  studentId: z.string().nullable(),
  kind: z.enum(UNKNOWN_FACE_KINDS),
  matchedStudentId: z.string().nullable(),
  livenessScore: z.number().nullable(),
  cameraName: z.string().nullable(),
});

export const sessionDispute = z.object({
  disputeId: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  studentNumber: z.string().nullable(),
  kind: z.enum(DISPUTE_KINDS),
  text: z.string(),
  state: z.enum(DISPUTE_STATES),
  createdAt: isoTime,
  resolvedAt: isoTime.nullable(),
  currentStatus: z.enum(ATTENDANCE_STATUSES).nullable(),
});

export const disputeRow = z.object({
  disputeId: z.string(),
  sessionId: z.string(),
  studentId: z.string(),
  kind: z.enum(DISPUTE_KINDS),
  text: z.string(),
  state: z.enum(DISPUTE_STATES),
  resolvedBy: z.string().nullable(),
  resolvedAt: isoTime.nullable(),
  createdAt: isoTime,
});

/** What erasing a student's biometrics removed. */
export const erasedBiometrics = z.object({
  photos: z.number().int(),
  templates: z.number().int(),
  unknownFaces: z.number().int(),
  files: z.number().int(),
});

export const photoWarning = z.object({
  code: z.enum(['unlike-other-photos', 'unlike-other-photo']),
  similarity: z.number(),
  otherPhotoId: z.string().optional(),
  message: z.string(),
});

export const studentDetail = z.object({
  student: studentRow,
  photos: z.array(
    z.object({
      photoId: z.string(),
      studentId: z.string(),
      storageKey: z.string(),
      quality: z.record(z.string(), z.unknown()).nullable(),
      accepted: z.boolean(),
      reason: z.string().nullable(),
      createdAt: isoTime,
      warning: photoWarning.optional(),
    }),
  ),
  templates: z.number().int(),
  history: z.array(
    z.object({
      sessionId: z.string(),
      date: isoDate,
      startsAt: isoTime,
      courseCode: z.string(),
      courseName: z.string(),
      status: z.string(),
      timestamp: isoTime,
      source: z.string(),
    }),
  ),
});

/** One uploaded photo's verdict, in upload order. */
export const photoVerdict = z.object({
  filename: z.string(),
  status: z.enum(['accepted', 'rejected']),
  photoId: z.string().optional(),
  templateId: z.string().optional(),
  duplicate: z.boolean().optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
  warning: photoWarning.optional(),
});

export const ok = z.object({ ok: z.literal(true) });

export const page = <T extends z.ZodType>(row: T) =>
  z.object({ rows: z.array(row), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** A user created or given a new password; `password` only when the server generated it (shown once). */
export const userWithPassword = z.object({ user: userRow, password: z.string().optional() });
