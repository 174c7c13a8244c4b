/**
 * A session counts once it has started, the same way in the per-course report, the matrix, their CSVs
 * and the overview rate: today's later sessions are nobody's absence yet.
 */
import { describe, expect, it } from 'vitest';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { sessionMatrix } from '@/lib/data/report-matrix';
import { attendanceReport } from '@/lib/data/reports';
import { listSessionsWithCounts } from '@/lib/data/session-admin';
import { createSession } from '@/lib/data/sessions';
import { attendanceRate } from '@/lib/dashboard/overview-figures';
import { matrixCsv, reportCsv } from '@/lib/dashboard/report-export';
import { parseCsv } from '@/lib/csv';
import { makeCourse, makeStudent } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const DAY = '2026-05-04';
const at = (hh: number) => new Date(`${DAY}T${String(hh).padStart(2, '0')}:00:00`);

describe('which sessions count', () => {
  it('report, matrix, CSVs and the overview rate agree, and a session later today is not counted', async () => {
    const course = await makeCourse({ code: `CT${Math.random().toString(36).slice(2, 6)}` });
    const [a, b] = [await makeStudent(), await makeStudent()];
    await enrollStudent(course.courseId, a.studentId);
    await enrollStudent(course.courseId, b.studentId);
    const session = (hh: number) =>
      createSession(
        {
          courseId: course.courseId,
          cameraId: null,
          date: DAY,
          startsAt: at(hh),
          endsAt: new Date(at(hh).getTime() + 60 * 60_000),
          room: null,
          lateAfterMinutes: null,
          status: 'scheduled',
        },
        null,
      );
    const morning = await session(8);
    await session(11); // running at `now`: it has started, so it counts
    await session(15); // later today
    await session(17); // later today
    await recordAttendance({ sessionId: morning.sessionId, studentId: a.studentId, seenAt: at(8), status: 'present' });
    const now = new Date(`${DAY}T11:30:00`);

    const report = await attendanceReport({ from: DAY, to: DAY, courseId: course.courseId, lecturerId: null, now });
    const matrix = await sessionMatrix({ courseId: course.courseId, from: DAY, to: DAY, now });
    expect(report.courses[0]).toMatchObject({ sessions: 2, enrolled: 2, attended: 1, rate: 0.25 });
    expect(matrix.sessions).toHaveLength(2);
    expect(matrix.rate).toBe(report.courses[0]!.rate);
    for (const s of report.students) {
      const m = matrix.students.find((x) => x.studentId === s.studentId)!;
      expect([s.sessions, s.attended, s.rate]).toEqual([matrix.sessions.length, m.attended, m.rate]);
    }
    // The downloads carry the same figures.
    expect(
      parseCsv(reportCsv(report, 75))
        .slice(1)
        .map((r) => r.cells[3]),
    ).toEqual(['2', '2']);
    expect(matrixCsv(matrix).split(/\r?\n/)[0]!.split(',')).toHaveLength(2 + 2 + 3);

    const rows = await listSessionsWithCounts({ from: DAY, to: DAY, lecturerId: null });
    const mine = rows.filter((r) => r.courseId === course.courseId);
    expect(attendanceRate(mine, now)).toBe(0.25);
  });
});
