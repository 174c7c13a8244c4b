import { z } from 'zod';
import { WEEKDAYS } from '@/db/schema';
import { clash, courseRow, isoDate, isoTime, sessionRow, timetableRow } from './responses';

/** Courses with their lecturer and counts. */
export const courseList = z.object({
  courses: z.array(
    courseRow.extend({
      lecturerName: z.string().nullable(),
      enrolled: z.number().int(),
      sessions: z.number().int(),
    }),
  ),
});

/** A course's weekly timetables with their session counts. */
export const timetableList = z.object({
  timetables: z.array(
    timetableRow.extend({
      weekdayList: z.array(z.enum(WEEKDAYS)),
      cameraName: z.string().nullable(),
      sessions: z.number().int(),
      upcoming: z.number().int(),
    }),
  ),
});

/** The dates a timetable would give and its clashes. */
export const timetablePreview = z.object({
  occurrences: z.array(
    z.object({ date: isoDate, startsAt: isoTime, endsAt: isoTime, past: z.boolean(), kept: z.boolean() }),
  ),
  clashes: z.array(clash),
  toCreate: z.number().int(),
});

/** Sessions in a date range with their course, camera and counts. */
export const sessionList = z.object({
  sessions: z.array(
    sessionRow.extend({
      courseCode: z.string(),
      courseName: z.string(),
      lecturerId: z.string().nullable(),
      cameraName: z.string().nullable(),
      enrolled: z.number().int(),
      attended: z.number().int(),
    }),
  ),
});

const count = z.number().int();
const share = z.number().min(0).max(1);

/** A session's class mood: counts of sightings and their shares. */
export const sessionMood = z.object({
  sessionId: z.string(),
  classMood: z.boolean(),
  sightings: z.number().int(),
  counts: z.object({ happy: count, neutral: count, tired: count, other: count, eyesRead: count }),
  shares: z.object({ happy: share, neutral: share, tired: share, other: share }),
});
