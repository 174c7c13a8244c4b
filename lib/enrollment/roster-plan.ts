/**
 * A dashboard roster import, step by step: check the roster rows and the photos against the database
 * (the preview, nothing written), then run the rows without problems through the shared import loop
 * (roster-import.ts) and say per row what happened. Every problem is a code (the UI translates it)
 * plus an English sentence (the API and the result CSV).
 */
import { z } from 'zod';
import { writeAudit } from '@/lib/data/audit';
import {
  countTemplatesByStudent,
  findCoursesByCodes,
  findStudentsByNumbers,
  upsertStudentByNumber,
} from '@/lib/data/student-import';
import { csvLines } from '@/lib/csv';
import { createLogger } from '@/lib/log';
import type { RosterCsvRow } from './roster-csv';
import type { IgnoredFile, PhotoSet, PhotoSource } from './photo-files';
import { importRosterEntries, type ImportOptions, type RosterEntry } from './roster-import';

const log = createLogger('roster-import');

export type RowProblemCode =
  | 'missing-number'
  | 'missing-name'
  | 'number-too-long'
  | 'name-too-long'
  | 'bad-email'
  | 'unknown-course'
  | 'duplicate-row';
export type FileProblemCode = 'no-row' | 'row-skipped' | IgnoredFile['code'];

export interface Issue<C extends string> {
  code: C;
  params: Record<string, string | number>;
  message: string;
}

export interface PreviewRow {
  line: number;
  studentNumber: string;
  name: string;
  email: string;
  courses: string[];
  /** Photos of this row (paths in the upload). */
  photos: string[];
  /** Whether a student with this number exists already. */
  existing: boolean;
  /** Any problem skips the row. */
  problems: Issue<RowProblemCode>[];
  /** Imported anyway: the student has no photo here and no face template yet. */
  noPhoto: boolean;
}

export interface RosterPreview {
  rows: PreviewRow[];
  files: Array<Issue<FileProblemCode> & { file: string }>;
  summary: { rows: number; toImport: number; skipped: number; photos: number };
}

export interface RosterPlan {
  preview: RosterPreview;
  /** The rows to import, with their photos and course ids (not sent to the browser). */
  entries: Array<{ line: number; entry: RosterEntry }>;
}

export type RowResult = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface RosterRowResult {
  line: number;
  studentNumber: string;
  name: string;
  studentId: string | null;
  result: RowResult;
  coursesAdded: number;
  photosAdded: number;
  /** Photos this student had already (same bytes): nothing new was stored. */
  photosKnown: number;
  rejected: Array<{ file: string; reason: string }>;
  /** Photos enrolled although they do not look like the student's other photos (photo-warnings.ts). */
  warnings: Array<{ file: string; warning: string }>;
  /** Why a skipped row was skipped (sentences); `issues` has the same as codes for the UI to translate, when they came from the preview. */
  problems: string[];
  issues: Issue<RowProblemCode>[];
}

export interface RosterImportResult {
  rows: RosterRowResult[];
  summary: Record<RowResult, number> & { photosAdded: number; photosRejected: number };
}

const emailSchema = z.email();
const key = (studentNumber: string) => studentNumber.trim().toUpperCase();

const ROW_MESSAGES: Record<RowProblemCode, (p: Record<string, string | number>) => string> = {
  'missing-number': () => 'The student number is missing.',
  'missing-name': () => 'The name is missing.',
  'number-too-long': () => 'The student number is longer than 32 characters.',
  'name-too-long': () => 'The name is longer than 255 characters.',
  'bad-email': (p) => `"${p.email}" is not an email address.`,
  'unknown-course': (p) => `There is no course with code ${p.course}.`,
  'duplicate-row': (p) =>
    `Student number ${p.studentNumber} is also on line ${p.firstLine}; only that line is imported.`,
};
const FILE_MESSAGES: Record<FileProblemCode, (p: Record<string, string | number>) => string> = {
  'no-row': (p) => `No row of the roster has student number ${p.studentNumber}; the photo is not imported.`,
  'row-skipped': (p) => `Line ${p.line} is skipped, so its photo is not imported.`,
  'not-a-photo': () => 'Not a photo (JPEG, PNG or WebP); it is not imported.',
  link: () => 'A link, not a file; it is not imported.',
};

const rowIssue = (code: RowProblemCode, params: Record<string, string | number> = {}): Issue<RowProblemCode> => ({
  code,
  params,
  message: ROW_MESSAGES[code](params),
});
const fileIssue = (file: string, code: FileProblemCode, params: Record<string, string | number> = {}) => ({
  file,
  code,
  params,
  message: FILE_MESSAGES[code](params),
});

/** `S1001.jpg`, `S1001_2.jpg` → the row whose number is the whole stem, else the stem without its `_N`. */
function photoOwner(photo: PhotoSource, rowsByNumber: Map<string, number>): { row: number | undefined; guess: string } {
  const stem = photo.name.replace(/\.[^.]+$/, '');
  const whole = rowsByNumber.get(key(stem));
  if (whole !== undefined) return { row: whole, guess: stem };
  const base = stem.replace(/_\d{1,3}$/, '');
  return { row: rowsByNumber.get(key(base)), guess: base };
}

/** The preview and the import plan; reads the database, writes nothing. */
export async function planRosterImport(rows: RosterCsvRow[], photoSet: PhotoSet): Promise<RosterPlan> {
  const numbers = rows.map((r) => r.studentNumber).filter(Boolean);
  const [existingStudents, knownCourses] = await Promise.all([
    findStudentsByNumbers(numbers),
    findCoursesByCodes(rows.flatMap((r) => r.courses)),
  ]);
  const existingBy = new Map(existingStudents.map((s) => [key(s.studentNumber ?? ''), s]));
  const courseBy = new Map(knownCourses.map((c) => [c.code.toUpperCase(), c]));
  const templates = await countTemplatesByStudent(existingStudents.map((s) => s.studentId));

  const firstLineOf = new Map<string, number>();
  const rowsByNumber = new Map<string, number>();
  const preview: PreviewRow[] = rows.map((r, i) => {
    const problems: Issue<RowProblemCode>[] = [];
    if (!r.studentNumber) problems.push(rowIssue('missing-number'));
    else if (r.studentNumber.length > 32) problems.push(rowIssue('number-too-long'));
    if (!r.name) problems.push(rowIssue('missing-name'));
    else if (r.name.length > 255) problems.push(rowIssue('name-too-long'));
    if (r.email && (r.email.length > 255 || !emailSchema.safeParse(r.email).success))
      problems.push(rowIssue('bad-email', { email: r.email }));
    for (const course of r.courses)
      if (!courseBy.has(course.toUpperCase())) problems.push(rowIssue('unknown-course', { course }));
    if (r.studentNumber) {
      const first = firstLineOf.get(key(r.studentNumber));
      if (first !== undefined)
        problems.push(rowIssue('duplicate-row', { studentNumber: r.studentNumber, firstLine: first }));
      else {
        firstLineOf.set(key(r.studentNumber), r.line);
        rowsByNumber.set(key(r.studentNumber), i);
      }
    }
    return {
      line: r.line,
      studentNumber: r.studentNumber,
      name: r.name,
      email: r.email,
      courses: r.courses,
      photos: [],
      existing: existingBy.has(key(r.studentNumber)),
      problems,
      noPhoto: false,
    };
  });

  const files: RosterPreview['files'] = photoSet.ignored.map((f) => fileIssue(f.file, f.code));
  const photosOf = new Map<number, PhotoSource[]>();
  for (const photo of photoSet.photos) {
    const { row, guess } = photoOwner(photo, rowsByNumber);
    if (row === undefined) {
      files.push(fileIssue(photo.path, 'no-row', { studentNumber: guess }));
      continue;
    }
    if (preview[row]!.problems.length > 0) {
      files.push(fileIssue(photo.path, 'row-skipped', { line: preview[row]!.line }));
      continue;
    }
    preview[row]!.photos.push(photo.path);
    photosOf.set(row, [...(photosOf.get(row) ?? []), photo]);
  }

  const entries: RosterPlan['entries'] = [];
  preview.forEach((p, i) => {
    if (p.problems.length > 0) return;
    const existing = existingBy.get(key(p.studentNumber));
    p.noPhoto = p.photos.length === 0 && !(existing && (templates.get(existing.studentId) ?? 0) > 0);
    entries.push({
      line: p.line,
      entry: {
        label: p.studentNumber,
        resolve: async () => {
          const { student, change } = await upsertStudentByNumber({
            studentNumber: p.studentNumber,
            name: p.name,
            email: p.email || null,
          });
          return { studentId: student.studentId, name: student.name, change };
        },
        courseIds: p.courses.map((c) => courseBy.get(c.toUpperCase())!.courseId),
        photos: photosOf.get(i) ?? [],
      },
    });
  });
  const toImport = entries.length;
  return {
    preview: {
      rows: preview,
      files,
      summary: {
        rows: preview.length,
        toImport,
        skipped: preview.length - toImport,
        photos: entries.reduce((n, e) => n + e.entry.photos.length, 0),
      },
    },
    entries,
  };
}

/** Runs the plan's rows through the shared import loop, then writes one audit row for the import. */
export async function runRosterImport(
  plan: RosterPlan,
  opts: ImportOptions & { actorUserId: string | null },
): Promise<RosterImportResult> {
  const started = Date.now();
  const outcomes = await importRosterEntries(
    plan.entries.map((e) => e.entry),
    opts,
  );
  const byLine = new Map(plan.entries.map((e, i) => [e.line, outcomes[i]!]));
  const rows: RosterRowResult[] = plan.preview.rows.map((p) => {
    const base = {
      line: p.line,
      studentNumber: p.studentNumber,
      name: p.name,
      coursesAdded: 0,
      photosAdded: 0,
      photosKnown: 0,
      rejected: [] as RosterRowResult['rejected'],
      warnings: [] as RosterRowResult['warnings'],
      issues: [],
    };
    const o = byLine.get(p.line);
    if (!o)
      return {
        ...base,
        studentId: null,
        result: 'skipped',
        problems: p.problems.map((x) => x.message),
        issues: p.problems,
      };
    if (!o.student) return { ...base, studentId: null, result: 'skipped', problems: [o.error ?? 'Not imported.'] };
    const added = o.photos.filter((r) => r.status === 'accepted' && !r.duplicate).length;
    const known = o.photos.filter((r) => 'duplicate' in r && r.duplicate && r.status === 'accepted').length;
    const rejected = o.photos.flatMap((r) => (r.status === 'rejected' ? [{ file: r.filename, reason: r.reason }] : []));
    const warnings = o.photos.flatMap((r) =>
      r.status === 'accepted' && r.warning ? [{ file: r.filename, warning: r.warning.message }] : [],
    );
    const changed =
      o.student.change === 'created'
        ? 'created'
        : o.student.change === 'updated' || o.coursesAdded > 0 || added > 0
          ? 'updated'
          : 'unchanged';
    return {
      ...base,
      studentId: o.student.studentId,
      name: o.student.name,
      result: changed,
      coursesAdded: o.coursesAdded,
      photosAdded: added,
      photosKnown: known,
      rejected,
      warnings,
      problems: [],
    };
  });
  const count = (r: RowResult) => rows.filter((x) => x.result === r).length;
  const summary = {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    photosAdded: rows.reduce((n, r) => n + r.photosAdded, 0),
    photosRejected: rows.reduce((n, r) => n + r.rejected.length, 0),
  };
  const numbers = (r: RowResult) =>
    rows
      .filter((x) => x.result === r)
      .slice(0, 200)
      .map((x) => x.studentNumber);
  await writeAudit({
    actorUserId: opts.actorUserId,
    action: 'student.roster_import',
    entity: 'student',
    entityId: null,
    details: { ...summary, rows: rows.length, createdNumbers: numbers('created'), updatedNumbers: numbers('updated') },
  });
  log.info({ ...summary, rows: rows.length, ms: Date.now() - started }, 'roster import done');
  return { rows, summary };
}

export const RESULT_CSV_COLUMNS = [
  'line',
  'student_number',
  'name',
  'result',
  'courses_added',
  'photos_added',
  'photos_already_enrolled',
  'photos_rejected',
  'details',
] as const;

/** The per-row result as a CSV file (what the dashboard offers for download). */
export function rosterResultCsv(result: RosterImportResult): string {
  return csvLines([
    [...RESULT_CSV_COLUMNS],
    ...result.rows.map((r) => [
      r.line,
      r.studentNumber,
      r.name,
      r.result,
      r.coursesAdded,
      r.photosAdded,
      r.photosKnown,
      r.rejected.length,
      [
        ...r.problems,
        ...r.rejected.map((x) => `${x.file}: ${x.reason}`),
        ...r.warnings.map((x) => `${x.file}: ${x.warning}`),
      ].join(' | '),
    ]),
  ]);
}
