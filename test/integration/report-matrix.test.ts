/** The per-session matrix query and its CSV / XLSX exports against a real MariaDB. */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordAttendance } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { sessionMatrix } from '@/lib/data/report-matrix';
import { createSession } from '@/lib/data/sessions';
import { matrixCsv, matrixXlsx } from '@/lib/dashboard/report-export';
import { parseCsv } from '@/lib/csv';
import type { AttendanceStatus } from '@/db/schema';
import { makeCourse, makeStudent } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

let courseId: string;
const sessionIds: string[] = [];
const students: Record<string, string> = {};

/** A session at 09:00 local time on `date`. */
const at = (date: string, hh = 9) => new Date(`${date}T${String(hh).padStart(2, '0')}:00:00`);

beforeAll(async () => {
  const course = await makeCourse({ code: `MX${Math.random().toString(36).slice(2, 6)}` });
  courseId = course.courseId;
  const other = await makeCourse();
  for (const [key, name] of [
    ['ada', 'Ada Lovelace'],
    ['ben', 'Ben Okri'],
    ['cy', 'Cy Twombly'],
  ] as const) {
    const s = await makeStudent({ name, studentNumber: `MX-${key}` });
    students[key] = s.studentId;
    await enrollStudent(courseId, s.studentId);
  }
  const outsider = await makeStudent({ name: 'Not Enrolled' });
  const session = (date: string, status: 'closed' | 'cancelled' | 'scheduled' = 'closed') =>
    createSession(
      {
        courseId,
        cameraId: null,
        date,
        startsAt: at(date),
        endsAt: new Date(at(date).getTime() + 90 * 60_000),
        room: 'A101',
        lateAfterMinutes: null,
        status,
      },
      null,
    );
  for (const d of ['2025-03-03', '2025-03-10', '2025-03-17']) sessionIds.push((await session(d)).sessionId);
  const cancelled = await session('2025-03-24', 'cancelled');
  const future = await session('2099-01-05', 'scheduled');
  const mark = (i: number, who: string, status: AttendanceStatus) =>
    recordAttendance({ sessionId: sessionIds[i]!, studentId: students[who]!, seenAt: at('2025-03-03'), status });
  await mark(0, 'ada', 'present');
  await mark(0, 'ben', 'present');
  await mark(0, 'cy', 'manual');
  await mark(1, 'ada', 'late');
  await mark(1, 'ben', 'excused');
  await mark(2, 'ada', 'absent');
  // Rows that must not count: a cancelled and a future session, another course, a student not enrolled.
  await recordAttendance({
    sessionId: cancelled.sessionId,
    studentId: students.cy!,
    seenAt: new Date(),
    status: 'present',
  });
  await recordAttendance({
    sessionId: future.sessionId,
    studentId: students.cy!,
    seenAt: new Date(),
    status: 'present',
  });
  await recordAttendance({
    sessionId: sessionIds[2]!,
    studentId: outsider.studentId,
    seenAt: new Date(),
    status: 'present',
  });
  await createSession(
    {
      courseId: other.courseId,
      cameraId: null,
      date: '2025-03-05',
      startsAt: at('2025-03-05'),
      endsAt: at('2025-03-05', 11),
      room: null,
      lateAfterMinutes: null,
      status: 'closed',
    },
    null,
  );
});

describe('session matrix', () => {
  it('marks each enrolled student in each started, non-cancelled session, with rates per student and per session', async () => {
    const m = await sessionMatrix({ courseId, from: '2025-01-01', to: '2099-12-31' });
    expect(m.sessions.map((s) => [s.sessionId, s.date, s.attended, s.enrolled])).toEqual([
      [sessionIds[0], '2025-03-03', 3, 3],
      [sessionIds[1], '2025-03-10', 2, 3],
      [sessionIds[2], '2025-03-17', 0, 3],
    ]);
    expect(m.sessions.map((s) => s.rate)).toEqual([1, 2 / 3, 0]);
    expect(m.students.map((s) => [s.name, s.marks.join(''), s.attended, s.rate])).toEqual([
      ['Ada Lovelace', 'PLA', 2, 2 / 3],
      ['Ben Okri', 'PEA', 2, 2 / 3],
      ['Cy Twombly', 'PAA', 1, 1 / 3],
    ]);
    expect(m.rate).toBe(5 / 9);
  });

  it('the date range narrows the sessions; a range without sessions has no rates', async () => {
    const m = await sessionMatrix({ courseId, from: '2025-03-10', to: '2025-03-10' });
    expect(m.sessions.map((s) => s.sessionId)).toEqual([sessionIds[1]]);
    expect(m.students.map((s) => s.marks)).toEqual([['L'], ['E'], ['A']]);
    const empty = await sessionMatrix({ courseId, from: '2024-01-01', to: '2024-01-31' });
    expect(empty).toMatchObject({ sessions: [], rate: null });
    expect(empty.students.map((s) => s.rate)).toEqual([null, null, null]);
  });

  it('exports the same cells as CSV and XLSX', async () => {
    const m = await sessionMatrix({ courseId, from: '2025-01-01', to: '2025-12-31' });
    const expected = [
      [
        'student_number',
        'name',
        '2025-03-03 09:00',
        '2025-03-10 09:00',
        '2025-03-17 09:00',
        'attended',
        'sessions',
        'rate_percent',
      ],
      ['MX-ada', 'Ada Lovelace', 'P', 'L', 'A', '2', '3', '66.7'],
      ['MX-ben', 'Ben Okri', 'P', 'E', 'A', '2', '3', '66.7'],
      ['MX-cy', 'Cy Twombly', 'P', 'A', 'A', '1', '3', '33.3'],
      ['', 'rate per session (%)', '100', '66.7', '0', '', '', '55.6'],
    ];
    expect(parseCsv(matrixCsv(m)).map((r) => r.cells)).toEqual(expected);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await matrixXlsx(m, { courseCode: 'MX', from: '2025-01-01', to: '2025-12-31' })) as never);
    const sheet = book.getWorksheet('Matrix')!;
    const cells: string[][] = [];
    sheet.eachRow((row) => cells.push(Array.from({ length: 8 }, (_, i) => String(row.getCell(i + 1).value ?? ''))));
    expect(cells).toEqual(expected);
    expect(typeof sheet.getRow(2).getCell(8).value).toBe('number');
    const sessions = book.getWorksheet('Sessions')!;
    expect(sessions.getRow(2).values).toEqual([undefined, sessionIds[0], '2025-03-03', '09:00', 'A101', 3, 3, 100]);
  });
});
