/**
 * The roster file of a dashboard import: one student per line, columns named on the first line —
 * `student_number`, `name`, `email` (may be blank) and optionally `courses` (course codes separated by
 * spaces, commas or semicolons). Pure: checking the rows against the database is roster-plan.ts.
 */
import { parseCsv } from '@/lib/csv';
import { AppError } from '@/lib/errors';

export const MAX_ROSTER_ROWS = 5000;

export interface RosterCsvRow {
  line: number;
  studentNumber: string;
  name: string;
  email: string;
  courses: string[];
}

type Column = 'studentNumber' | 'name' | 'email' | 'courses';

/** Header spellings people use (English and Indonesian), after lower-casing and turning spaces/dashes into `_`. */
const HEADER_ALIASES: Record<string, Column> = {
  student_number: 'studentNumber',
  studentnumber: 'studentNumber',
  number: 'studentNumber',
  student_no: 'studentNumber',
  nim: 'studentNumber',
  name: 'name',
  student_name: 'name',
  nama: 'name',
  email: 'email',
  e_mail: 'email',
  courses: 'courses',
  course: 'courses',
  course_codes: 'courses',
  course_code: 'courses',
  mata_kuliah: 'courses',
};

const normalizeHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export function parseRosterCsv(text: string): RosterCsvRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    throw new AppError('VALIDATION', `The roster file cannot be read. ${(err as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw new AppError('VALIDATION', 'The roster file is empty.');
  const index = new Map<Column, number>();
  header.cells.forEach((h, i) => {
    const col = HEADER_ALIASES[normalizeHeader(h)];
    if (col && !index.has(col)) index.set(col, i);
  });
  if (!index.has('studentNumber') || !index.has('name')) {
    throw new AppError(
      'VALIDATION',
      'The first line of the roster must name its columns: student_number, name, email and, optionally, courses.',
    );
  }
  if (body.length > MAX_ROSTER_ROWS)
    throw new AppError(
      'VALIDATION',
      `The roster has ${body.length} students; import at most ${MAX_ROSTER_ROWS} at a time.`,
    );
  const cell = (cells: string[], col: Column) => {
    const i = index.get(col);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  return body.map((r) => ({
    line: r.line,
    studentNumber: cell(r.cells, 'studentNumber'),
    name: cell(r.cells, 'name'),
    email: cell(r.cells, 'email'),
    courses: [
      ...new Set(
        cell(r.cells, 'courses')
          .split(/[\s,;]+/)
          .filter(Boolean),
      ),
    ],
  }));
}
