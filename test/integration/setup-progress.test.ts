/** The overview's getting-started checklist on a fresh (empty, migrated) database, ticked step by step. */
import { describe, expect, it } from 'vitest';
import { enrollStudent } from '@/lib/data/courses';
import { getSetupProgress } from '@/lib/data/setup-progress';
import { createTimetable } from '@/lib/data/timetables';
import { makeCamera, makeCourse, makeStudent } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

describe('getSetupProgress', () => {
  it('ticks camera, roster and timetable as each is done', async () => {
    expect(await getSetupProgress()).toEqual({ camera: false, roster: false, timetable: false });
    await makeCamera();
    expect(await getSetupProgress()).toEqual({ camera: true, roster: false, timetable: false });
    const course = await makeCourse();
    await makeStudent(); // a student alone is not a roster
    expect((await getSetupProgress()).roster).toBe(false);
    await enrollStudent(course.courseId, (await makeStudent()).studentId);
    expect(await getSetupProgress()).toEqual({ camera: true, roster: true, timetable: false });
    await createTimetable(
      {
        courseId: course.courseId,
        cameraId: null,
        room: null,
        lateAfterMinutes: null,
        weekdays: ['mon'],
        startTime: '09:00',
        endTime: '10:00',
        fromDate: '2030-01-07',
        toDate: '2030-01-07',
        exceptDates: [],
        timeZone: 'UTC',
      },
      null,
    );
    expect(await getSetupProgress()).toEqual({ camera: true, roster: true, timetable: true });
  });
});
