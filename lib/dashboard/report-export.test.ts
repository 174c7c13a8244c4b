/**
 * The XLSX downloads, read back with ExcelJS (as a spreadsheet program would open them): the same cells
 * as the CSV, numbers as numbers, bold headers, a light-red row for a student below the threshold, a
 * coloured cell per mark, and the matrix's header row and name columns frozen.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { SessionMatrix } from '@/lib/data/report-matrix';
import type { AttendanceReport } from '@/lib/data/reports';
import { matrixRows, matrixXlsx, REPORT_COLUMNS, reportRows, reportXlsx } from './report-export';

const open = async (bytes: Buffer) => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as never);
  return book;
};
const values = (sheet: ExcelJS.Worksheet, width: number) => {
  const out: (string | number)[][] = [];
  sheet.eachRow((row) =>
    out.push(Array.from({ length: width }, (_, i) => (row.getCell(i + 1).value ?? '') as string | number)),
  );
  return out;
};
const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb?.slice(-6);

const report: AttendanceReport = {
  courses: [
    {
      courseId: 'c1',
      courseCode: 'CS101',
      courseName: 'Programming',
      sessions: 4,
      enrolled: 2,
      attended: 5,
      rate: 0.625,
    },
  ],
  students: [
    {
      courseId: 'c1',
      courseCode: 'CS101',
      studentId: 's1',
      studentNumber: '1001',
      name: 'Ada',
      sessions: 4,
      attended: 4,
      rate: 1,
    },
    {
      courseId: 'c1',
      courseCode: 'CS101',
      studentId: 's2',
      studentNumber: null,
      name: 'Bob',
      sessions: 4,
      attended: 1,
      rate: 0.25,
    },
  ],
};

const matrix: SessionMatrix = {
  sessions: [
    {
      sessionId: 'x1',
      date: '2025-03-03',
      startsAt: new Date(2025, 2, 3, 9, 0),
      room: 'A101',
      attended: 2,
      enrolled: 2,
      rate: 1,
    },
    {
      sessionId: 'x2',
      date: '2025-03-10',
      startsAt: new Date(2025, 2, 10, 9, 0),
      room: null,
      attended: 1,
      enrolled: 2,
      rate: 0.5,
    },
  ],
  students: [
    { studentId: 's1', studentNumber: '1001', name: 'Ada', marks: ['P', 'L'], attended: 2, rate: 1 },
    { studentId: 's2', studentNumber: null, name: 'Bob', marks: ['E', 'A'], attended: 1, rate: 0.5 },
  ],
  rate: 0.75,
};

describe('XLSX downloads', () => {
  it('report: the CSV rows as cells, bold header, students below the threshold in light red, a Courses sheet', async () => {
    const book = await open(await reportXlsx(report, 75, { from: '2025-01-01', to: '2025-06-30' }));
    const students = book.getWorksheet('Students')!;
    expect(values(students, 7)).toEqual([[...REPORT_COLUMNS], ...reportRows(report, 75)]);
    expect(students.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(fillOf(students.getRow(3).getCell(3))).toBe('FDE2E2');
    expect(fillOf(students.getRow(2).getCell(3))).toBeUndefined();
    expect(students.getColumn(1).width).toBe(18);
    const courses = book.getWorksheet('Courses')!;
    expect(values(courses, 6)[1]).toEqual(['CS101', 'Programming', 4, 2, 5, 62.5]);
    expect(String(values(courses, 1)[2]![0])).toMatch(/^Range 2025-01-01 – 2025-06-30, threshold 75 %/);
  });

  it('matrix: the CSV rows as cells, a colour per mark, header row and name columns frozen, a Sessions sheet', async () => {
    const book = await open(await matrixXlsx(matrix, { courseCode: 'CS101', from: '2025-03-01', to: '2025-03-31' }));
    const sheet = book.getWorksheet('Matrix')!;
    expect(values(sheet, 7)).toEqual(matrixRows(matrix));
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(4).getCell(2).font?.bold).toBe(true);
    expect([3, 4].map((c) => fillOf(sheet.getRow(2).getCell(c)))).toEqual(['DCFCE7', 'FEF3C7']);
    expect([3, 4].map((c) => fillOf(sheet.getRow(3).getCell(c)))).toEqual(['E0E7FF', 'FDE2E2']);
    expect(sheet.getRow(2).getCell(3).alignment?.horizontal).toBe('center');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 1 });
    expect([1, 2, 3].map((c) => sheet.getColumn(c).width)).toEqual([16, 28, 17]);
    const sessions = book.getWorksheet('Sessions')!;
    expect(sessions.getRow(2).values).toEqual([undefined, 'x1', '2025-03-03', '09:00', 'A101', 2, 2, 100]);
    expect(String(sessions.getRow(5).getCell(1).value)).toMatch(/^CS101, 2025-03-01 – 2025-03-31\. P present/);
  });
});
