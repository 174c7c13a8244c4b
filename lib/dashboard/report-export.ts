import ExcelJS from 'exceljs';
import type { AttendanceReport } from '@/lib/data/reports';

export const REPORT_COLUMNS = ['course', 'student_number', 'name', 'sessions', 'attended', 'rate_percent', 'below_threshold'] as const;

export function reportRows(report: AttendanceReport, thresholdPercent: number): (string | number)[][] {
  return report.students.map((s) => {
    const pct = s.rate === null ? '' : Math.round(s.rate * 1000) / 10;
    const below = s.rate !== null && s.rate * 100 < thresholdPercent ? 'yes' : 'no';
    return [s.courseCode, s.studentNumber ?? '', s.name, s.sessions, s.attended, pct, below];
  });
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets don't run it as a formula. */
function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(report: AttendanceReport, thresholdPercent: number): string {
  const lines = [REPORT_COLUMNS.join(','), ...reportRows(report, thresholdPercent).map((r) => r.map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export async function reportXlsx(report: AttendanceReport, thresholdPercent: number, range: { from: string; to: string }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'face-attendance';
  const students = book.addWorksheet('Students');
  students.addRow([...REPORT_COLUMNS]).font = { bold: true };
  for (const row of reportRows(report, thresholdPercent)) {
    const added = students.addRow(row);
    if (row[6] === 'yes') added.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E2' } };
  }
  students.columns.forEach((c) => (c.width = 18));
  const courses = book.addWorksheet('Courses');
  courses.addRow(['course', 'name', 'sessions', 'enrolled', 'attended', 'rate_percent']).font = { bold: true };
  for (const c of report.courses) {
    courses.addRow([c.courseCode, c.courseName, c.sessions, c.enrolled, c.attended, c.rate === null ? '' : Math.round(c.rate * 1000) / 10]);
  }
  courses.addRow([]);
  courses.addRow([`Range ${range.from} – ${range.to}, threshold ${thresholdPercent} %`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
