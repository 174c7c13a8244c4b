import { z } from 'zod';
import { ATTENDANCE_SOURCES, ATTENDANCE_STATUSES, DISPUTE_KINDS, DISPUTE_STATES } from '@/db/schema';
import { isoDate, isoTime } from './responses';

/** The signed-in student's own page: what is held about them and their attendance per course. */
export const myData = z.object({
  data: z.object({
    name: z.string(),
    studentNumber: z.string().nullable(),
    email: z.string().nullable(),
    photos: z.number().int(),
    templates: z.number().int(),
    enrolledAt: isoTime.nullable(),
    erasureRequestedAt: isoTime.nullable(),
  }),
  courses: z.array(
    z.object({
      courseId: z.string(),
      code: z.string(),
      courseName: z.string(),
      sessions: z.array(
        z.object({
          sessionId: z.string(),
          date: isoDate,
          startsAt: isoTime,
          endsAt: isoTime,
          room: z.string().nullable(),
          status: z.enum(ATTENDANCE_STATUSES),
          at: isoTime.nullable(),
          source: z.enum(ATTENDANCE_SOURCES).nullable(),
          dispute: z
            .object({ kind: z.enum(DISPUTE_KINDS), state: z.enum(DISPUTE_STATES), text: z.string() })
            .nullable(),
        }),
      ),
    }),
  ),
});

/** A roster import's preview: the problems per row and per file; nothing written. */
export const rosterPreview = z.object({
  rows: z.array(z.object({ line: z.number().int() })),
  files: z.array(z.object({ file: z.string() })),
  summary: z.object({
    rows: z.number().int(),
    toImport: z.number().int(),
    skipped: z.number().int(),
    photos: z.number().int(),
  }),
});

/** Lecturers' pending "this is <student>" suggestions. */
export const pendingSuggestions = z.object({
  suggestions: z.array(
    z.object({
      unknownId: z.string(),
      seenAt: isoTime,
      studentId: z.string(),
      studentName: z.string(),
      studentNumber: z.string().nullable(),
      courseCode: z.string().nullable(),
      sessionId: z.string().nullable(),
      suggestedBy: z.string().nullable(),
      suggestedByName: z.string().nullable(),
    }),
  ),
});
