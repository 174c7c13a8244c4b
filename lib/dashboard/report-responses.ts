import { z } from 'zod';
import { DOWNLOAD_CONTENT_TYPES } from './report-export';
import { isoDate, isoTime, page } from './responses';

/** `format=csv|xlsx`: the media types of the downloads, besides JSON. */
export const downloadTypes = Object.values(DOWNLOAD_CONTENT_TYPES).map((type) => type.split(';')[0]!);

/** Attendance rates per course and per (course, student). */
export const attendanceReportResponse = z.object({
  courses: z.array(
    z.object({
      courseId: z.string(),
      courseCode: z.string(),
      courseName: z.string(),
      sessions: z.number().int(),
      enrolled: z.number().int(),
      attended: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  students: z.array(
    z.object({
      courseId: z.string(),
      courseCode: z.string(),
      studentId: z.string(),
      studentNumber: z.string().nullable(),
      name: z.string(),
      sessions: z.number().int(),
      attended: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  threshold: z.number(),
});

/** Students × sessions of one course: a mark per cell, rates per row and column. */
export const sessionMatrixResponse = z.object({
  course: z.object({ courseId: z.string(), code: z.string(), name: z.string() }),
  sessions: z.array(
    z.object({
      sessionId: z.string(),
      date: isoDate,
      startsAt: isoTime,
      room: z.string().nullable(),
      attended: z.number().int(),
      enrolled: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  students: z.array(
    z.object({
      studentId: z.string(),
      studentNumber: z.string().nullable(),
      name: z.string(),
      marks: z.array(z.enum(['P', 'L', 'E', 'A'])),
      attended: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  rate: z.number().nullable(),
});

/** A page of the audit log, with the names its rows refer to. */
export const auditPage = page(
  z.object({
    auditId: z.string(),
    actorUserId: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    details: z.unknown(),
    createdAt: isoTime,
    actorName: z.string().nullable(),
    actorEmail: z.string().nullable(),
    subject: z.object({
      kind: z.enum(['student', 'course', 'camera', 'session', 'user', 'unknown_face', 'other']),
      label: z.string().nullable(),
      href: z.string().nullable(),
      deleted: z.boolean(),
      at: isoTime.nullable().optional(),
    }),
  }),
).extend({ names: z.record(z.string(), z.string()) });
