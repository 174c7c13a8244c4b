/**
 * `students import --dir DIR [--course CODE]`: one sub-folder per student (folder name = name, optional
 * `student.json` with `student_id`, `student_number`, `email`), every jpg/jpeg/png/webp through the
 * enrolment quality gate. Re-running changes nothing: students are found again by id (or by name when
 * there is no student.json) and photos by their sha256.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { enrollStudent } from '@/lib/data/courses';
import { ensureStudentWithId, findStudentsByName } from '@/lib/data/student-import';
import { enrollStudentPhoto, type EnrollmentEngine, type PhotoResult } from '@/lib/enrollment/enroll-photo';
import { AppError } from '@/lib/errors';

export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

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

export interface ImportProgress {
  start(total: number): void;
  tick(file: string): void;
  stop(): void;
}

/** Student folders under `dir`, sorted by name; a bad student.json is an error naming the file. */
export async function scanStudentFolders(dir: string): Promise<StudentFolder[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new AppError('VALIDATION', `Cannot read --dir ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const folders: StudentFolder[] = [];
  for (const e of entries.filter((x) => x.isDirectory() && !x.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
    const sub = path.join(dir, e.name);
    const files = await readdir(sub, { withFileTypes: true });
    const photos = files
      .filter((f) => (f.isFile() || f.isSymbolicLink()) && PHOTO_EXTENSIONS.includes(path.extname(f.name).toLowerCase()))
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
    const { student } = await ensureStudentWithId({ studentId: meta.student_id, name, studentNumber: meta.student_number, email: meta.email });
    return student;
  }
  const same = await findStudentsByName(name);
  if (same.length > 1) {
    throw new AppError('CONFLICT', `${same.length} students are named "${name}"; add a student.json with "student_id" to say which`);
  }
  if (same[0]) return same[0];
  const { student } = await ensureStudentWithId({ studentId: randomUUID(), name, studentNumber: meta.student_number, email: meta.email });
  return student;
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
  const summary: ImportSummary = { enrolled: [], rejected: [] };
  opts.progress?.start(folders.reduce((n, f) => n + f.photos.length, 0));
  try {
    for (const folder of folders) {
      const rel = (file: string) => path.join(path.basename(folder.dir), file);
      let student: { studentId: string; name: string };
      try {
        student = await resolveStudent(folder);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        summary.rejected.push({ file: path.basename(folder.dir), reason: err.message });
        for (const f of folder.photos) opts.progress?.tick(rel(f));
        continue;
      }
      if (opts.courseId) await enrollStudent(opts.courseId, student.studentId);
      let accepted = 0;
      const queue = [...folder.photos];
      const results = new Map<string, PhotoResult>();
      const work = async () => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
          const bytes = await readFile(path.join(folder.dir, file));
          const out = await enrollStudentPhoto({ studentId: student.studentId, bytes, filename: file, engine: opts.engine });
          results.set(file, { filename: file, ...out });
          opts.progress?.tick(rel(file));
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, work));
      for (const file of folder.photos) {
        const result = results.get(file);
        if (result?.status === 'accepted') accepted++;
        else summary.rejected.push({ file: rel(file), reason: result?.reason ?? 'not processed' });
      }
      if (accepted > 0) summary.enrolled.push({ student_id: student.studentId, name: student.name, photos: accepted });
      else summary.rejected.push({ file: path.basename(folder.dir), reason: `no usable photo for ${student.name}: the student cannot be recognised yet` });
    }
  } finally {
    opts.progress?.stop();
  }
  return summary;
}
