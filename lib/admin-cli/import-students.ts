/**
 * `students import --dir DIR [--course CODE]`: one sub-folder per student (folder name = name, optional
 * `student.json` with `student_id`, `student_number`, `email`), every jpg/jpeg/png/webp through the
 * enrolment quality gate. Re-running changes nothing: students are found again by id (or by name when
 * there is no student.json) and photos by their sha256. The loop itself is the dashboard's roster
 * import too (lib/enrollment/roster-import.ts); this file only turns folders into its entries.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ensureStudentWithId, findStudentsByName } from '@/lib/data/student-import';
import type { EnrollmentEngine } from '@/lib/enrollment/enroll-photo';
import { PHOTO_EXTENSIONS } from '@/lib/enrollment/photo-files';
import { importRosterEntries, type ImportProgress, type RosterEntry } from '@/lib/enrollment/roster-import';
import { AppError } from '@/lib/errors';

export type { ImportProgress };

const studentJsonSchema = z.object({
  student_id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,36}$/, 'must be 1-36 letters, digits, ".", "_" or "-"')
    .optional(),
  student_number: z.string().trim().min(1).max(32).optional(),
  email: z.email().optional(),
});

export type StudentFolder = { name: string; dir: string; meta: z.infer<typeof studentJsonSchema>; photos: string[] };

export type ImportSummary = {
  enrolled: Array<{ student_id: string; name: string; photos: number }>;
  rejected: Array<{ file: string; reason: string }>;
};

/** Student folders under `dir`, sorted by name; a bad student.json is an error naming the file. */
export async function scanStudentFolders(dir: string): Promise<StudentFolder[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new AppError(
      'VALIDATION',
      `Cannot read --dir ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const folders: StudentFolder[] = [];
  for (const e of entries
    .filter((x) => x.isDirectory() && !x.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const sub = path.join(dir, e.name);
    const files = await readdir(sub, { withFileTypes: true });
    const photos = files
      .filter(
        (f) => (f.isFile() || f.isSymbolicLink()) && PHOTO_EXTENSIONS.includes(path.extname(f.name).toLowerCase()),
      )
      .map((f) => f.name)
      .sort();
    let meta: StudentFolder['meta'] = {};
    if (files.some((f) => f.name === 'student.json')) {
      const file = path.join(sub, 'student.json');
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw new AppError('VALIDATION', `${file}: not valid JSON (${(err as Error).message})`);
      }
      const parsed = studentJsonSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('VALIDATION', `${file}: ${issue.path.join('.') || 'value'} ${issue.message}`);
      }
      meta = parsed.data;
    }
    folders.push({ name: e.name, dir: sub, meta, photos });
  }
  return folders;
}

/** The student row for a folder: by student.json's id, else the one student with that name, else a new one. */
async function resolveStudent(folder: StudentFolder): Promise<{ studentId: string; name: string }> {
  const { meta, name } = folder;
  if (meta.student_id) {
    const { student } = await ensureStudentWithId({
      studentId: meta.student_id,
      name,
      studentNumber: meta.student_number,
      email: meta.email,
    });
    return student;
  }
  const same = await findStudentsByName(name);
  if (same.length > 1) {
    throw new AppError(
      'CONFLICT',
      `${same.length} students are named "${name}"; add a student.json with "student_id" to say which`,
    );
  }
  if (same[0]) return same[0];
  const { student } = await ensureStudentWithId({
    studentId: randomUUID(),
    name,
    studentNumber: meta.student_number,
    email: meta.email,
  });
  return student;
}

/** Each student folder as an entry of the shared roster import (lib/enrollment/roster-import.ts). */
function folderEntry(folder: StudentFolder, courseId: string | undefined): RosterEntry {
  return {
    label: path.basename(folder.dir),
    resolve: async () => ({ ...(await resolveStudent(folder)), change: 'unchanged' as const }),
    courseIds: courseId ? [courseId] : [],
    photos: folder.photos.map((file) => ({
      name: file,
      path: path.join(folder.dir, file),
      read: () => readFile(path.join(folder.dir, file)),
    })),
  };
}

export async function importStudents(opts: {
  dir: string;
  courseId?: string;
  engine: EnrollmentEngine;
  /** Photos enrolled at the same time (more than 1 only pays off with a FaceEnginePool). */
  concurrency?: number;
  progress?: ImportProgress;
}): Promise<ImportSummary> {
  const folders = await scanStudentFolders(opts.dir);
  const outcomes = await importRosterEntries(
    folders.map((f) => folderEntry(f, opts.courseId)),
    { engine: opts.engine, concurrency: opts.concurrency, progress: opts.progress },
  );
  const summary: ImportSummary = { enrolled: [], rejected: [] };
  for (const o of outcomes) {
    if (!o.student) {
      summary.rejected.push({ file: o.label, reason: o.error ?? 'not imported' });
      continue;
    }
    let accepted = 0;
    for (const r of o.photos) {
      if (r.status === 'accepted') accepted++;
      else summary.rejected.push({ file: path.join(o.label, r.filename), reason: r.reason });
    }
    if (accepted > 0)
      summary.enrolled.push({ student_id: o.student.studentId, name: o.student.name, photos: accepted });
    else
      summary.rejected.push({
        file: o.label,
        reason: `no usable photo for ${o.student.name}: the student cannot be recognised yet`,
      });
  }
  return summary;
}
