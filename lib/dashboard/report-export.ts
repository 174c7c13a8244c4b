import writeXlsxFile, { type Cell } from 'write-excel-file/node';
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
  const students: Row[] = [
    bold([...REPORT_COLUMNS]),
    // A student below the threshold: the whole row in light red.
    ...reportRows(report, thresholdPercent).map((row) =>
      row[6] === 'yes' ? row.map((value) => ({ value, backgroundColor: '#FDE2E2' })) : row,
    ),
  ];
  const courses: Row[] = [
    bold(['course', 'name', 'sessions', 'enrolled', 'attended', 'rate_percent']),
    ...report.courses.map((c) => [
      c.courseCode,
      c.courseName,
      c.sessions,
      c.enrolled,
      c.attended,
      c.rate === null ? '' : Math.round(c.rate * 1000) / 10,
    ]),
    [],
    [`Range ${range.from} – ${range.to}, threshold ${thresholdPercent} %. ${COUNTED_SESSIONS_NOTE}`],
  ];
  return writeXlsxFile([
    { sheet: 'Students', data: students, columns: widths(REPORT_COLUMNS.length, 18) },
    { sheet: 'Courses', data: courses },
  ]).toBuffer();
}

type Row = Cell[];
const bold = (row: (string | number)[]): Row => row.map((value) => ({ value, fontWeight: 'bold' }));
const widths = (count: number, width: number) => Array.from({ length: count }, () => ({ width }));

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

/** Background of each mark in the XLSX matrix. */
const MARK_FILL: Record<string, string> = { P: '#DCFCE7', L: '#FEF3C7', E: '#E0E7FF', A: '#FDE2E2' };

export async function matrixXlsx(
  matrix: SessionMatrix,
  info: { courseCode: string; from: string; to: string },
): Promise<Buffer> {
  const rows = matrixRows(matrix);
  const sessionsAt = 2; // the marks start in the third column
  const marks: Row[] = rows.map((row, i) => {
    if (i === 0 || i === rows.length - 1) return bold(row);
    return row.map((value, j) =>
      j >= sessionsAt && j < sessionsAt + matrix.sessions.length
        ? { value, backgroundColor: MARK_FILL[String(value)] ?? '#FFFFFF', align: 'center' }
        : value,
    );
  });
  const sessions: Row[] = [
    bold(['session_id', 'date', 'start', 'room', 'attended', 'enrolled', 'rate_percent']),
    ...matrix.sessions.map((s) => [
      s.sessionId,
      s.date,
      sessionLabel(s).slice(11),
      s.room ?? '',
      s.attended,
      s.enrolled,
      percent(s.rate),
    ]),
    [],
    [`${info.courseCode}, ${info.from} – ${info.to}. P present, L late, E excused, A absent. ${COUNTED_SESSIONS_NOTE}`],
  ];
  return writeXlsxFile([
    {
      sheet: 'Matrix',
      data: marks,
      columns: [{ width: 16 }, { width: 28 }, ...widths(matrix.sessions.length, 17)],
      // Student names and the header row stay in view while scrolling.
      stickyRowsCount: 1,
      stickyColumnsCount: 2,
    },
    { sheet: 'Sessions', data: sessions, columns: widths(7, 16) },
  ]).toBuffer();
}
