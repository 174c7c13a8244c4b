import ExcelJS from 'exceljs';
import { COUNTED_SESSIONS_NOTE } from '@/lib/data/counted-sessions';
import { csvLines } from '@/lib/csv';
import { sessionLabel } from '@/lib/dashboard/query';
import type { SessionMatrix } from '@/lib/data/report-matrix';
import type { AttendanceReport } from '@/lib/data/reports';

/** The content type of each download format. */
export const DOWNLOAD_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type DownloadFormat = keyof typeof DOWNLOAD_CONTENT_TYPES;

/** A file download: `name` gets the format's extension. */
export function downloadResponse(format: DownloadFormat, name: string, body: string | Uint8Array): Response {
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    headers: {
      'content-type': DOWNLOAD_CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="${name}.${format}"`,
    },
  });
}

export const REPORT_COLUMNS = [
  'course',
  'student_number',
  'name',
  'sessions',
  'attended',
  'rate_percent',
  'below_threshold',
] as const;

export function reportRows(report: AttendanceReport, thresholdPercent: number): (string | number)[][] {
  return report.students.map((s) => {
    const pct = s.rate === null ? '' : Math.round(s.rate * 1000) / 10;
    const below = s.rate !== null && s.rate * 100 < thresholdPercent ? 'yes' : 'no';
    return [s.courseCode, s.studentNumber ?? '', s.name, s.sessions, s.attended, pct, below];
  });
}

export function reportCsv(report: AttendanceReport, thresholdPercent: number): string {
  return csvLines([[...REPORT_COLUMNS], ...reportRows(report, thresholdPercent)]);
}

export async function reportXlsx(
  report: AttendanceReport,
  thresholdPercent: number,
  range: { from: string; to: string },
): Promise<Buffer> {
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
    courses.addRow([
      c.courseCode,
      c.courseName,
      c.sessions,
      c.enrolled,
      c.attended,
      c.rate === null ? '' : Math.round(c.rate * 1000) / 10,
    ]);
  }
  courses.addRow([]);
  courses.addRow([`Range ${range.from} – ${range.to}, threshold ${thresholdPercent} %. ${COUNTED_SESSIONS_NOTE}`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const percent = (rate: number | null) => (rate === null ? '' : Math.round(rate * 1000) / 10);

export const MATRIX_TRAILING_COLUMNS = ['attended', 'sessions', 'rate_percent'] as const;
export const MATRIX_RATE_ROW = 'rate per session (%)';

/** Students × sessions: one row per student (marks, attended, sessions, rate %), then the rate per session. */
export function matrixRows(matrix: SessionMatrix): (string | number)[][] {
  return [
    ['student_number', 'name', ...matrix.sessions.map(sessionLabel), ...MATRIX_TRAILING_COLUMNS],
    ...matrix.students.map((s) => [
      s.studentNumber ?? '',
      s.name,
      ...s.marks,
      s.attended,
      matrix.sessions.length,
      percent(s.rate),
    ]),
    ['', MATRIX_RATE_ROW, ...matrix.sessions.map((s) => percent(s.rate)), '', '', percent(matrix.rate)],
  ];
}

export function matrixCsv(matrix: SessionMatrix): string {
  return csvLines(matrixRows(matrix));
}

const MARK_FILL: Record<string, string> = { P: 'FFDCFCE7', L: 'FFFEF3C7', E: 'FFE0E7FF', A: 'FFFDE2E2' };

export async function matrixXlsx(
  matrix: SessionMatrix,
  info: { courseCode: string; from: string; to: string },
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'face-attendance';
  const sheet = book.addWorksheet('Matrix', { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const rows = matrixRows(matrix);
  rows.forEach((row, i) => {
    const added = sheet.addRow(row);
    if (i === 0 || i === rows.length - 1) added.font = { bold: true };
    else {
      matrix.sessions.forEach((_, j) => {
        const cell = added.getCell(3 + j);
        cell.fill = {
          type: 'pattern',
          pattern: 'solid',
          fgColor: { argb: MARK_FILL[String(cell.value)] ?? 'FFFFFFFF' },
        };
        cell.alignment = { horizontal: 'center' };
      });
    }
  });
  sheet.getColumn(1).width = 16;
  sheet.getColumn(2).width = 28;
  for (let j = 0; j < matrix.sessions.length; j++) sheet.getColumn(3 + j).width = 17;
  const sessions = book.addWorksheet('Sessions');
  sessions.addRow(['session_id', 'date', 'start', 'room', 'attended', 'enrolled', 'rate_percent']).font = {
    bold: true,
  };
  for (const s of matrix.sessions)
    sessions.addRow([
      s.sessionId,
      s.date,
      sessionLabel(s).slice(11),
      s.room ?? '',
      s.attended,
      s.enrolled,
      percent(s.rate),
    ]);
  sessions.addRow([]);
  sessions.addRow([
    `${info.courseCode}, ${info.from} – ${info.to}. P present, L late, E excused, A absent. ${COUNTED_SESSIONS_NOTE}`,
  ]);
  sessions.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await book.xlsx.writeBuffer());
}
