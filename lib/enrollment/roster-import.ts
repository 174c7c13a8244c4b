/**
 * The one roster import loop, shared by the admin CLI (`students import`) and the dashboard
 * (`POST /api/students/import`): for each entry, find or create the student, enrol them in the
 * entry's courses, then send each of its photos through the real enrolment (quality gate + template,
 * enroll-photo.ts). Idempotent: students are found again (by number, id or name — the caller's
 * `resolve` says how), enrolments are unique per (student, course), photos are deduplicated by their
 * sha256 per student, and a rejected photo is never stored. After an entry's photos, an accepted one
 * that does not look like the student's other photos carries a `warning` (photo-warnings.ts).
 */
import type { StudentChange } from '@/lib/data/student-import';
import { enrollStudent } from '@/lib/data/courses';
import { AppError } from '@/lib/errors';
import type { ObjectStorage } from '@/lib/storage';
import { enrollStudentPhoto, type EnrollmentEngine, type PhotoResult } from './enroll-photo';
import { PhotoReadError, type PhotoSource } from './photo-files';
import { withPhotoWarnings } from './photo-warnings';

export interface ImportProgress {
  start(total: number): void;
  /** One photo done (accepted, rejected or skipped); `file` is its label. */
  tick(file: string): void;
  stop(): void;
}

export interface ResolvedStudent {
  studentId: string;
  name: string;
  change: StudentChange;
}

export interface RosterEntry {
  /** How progress and results name the entry's photos: `<label>/<photo>` (CLI: the folder name). */
  label: string;
  /** Finds or creates the student; an AppError fails this entry only, with its message. */
  resolve(): Promise<ResolvedStudent>;
  courseIds: string[];
  photos: PhotoSource[];
}

export interface EntryOutcome {
  label: string;
  student: ResolvedStudent | null;
  /** Why the entry was not imported (the AppError message of `resolve`). */
  error: string | null;
  coursesAdded: number;
  /** In the entry's photo order. */
  photos: PhotoResult[];
}

export interface ImportOptions {
  engine: EnrollmentEngine;
  /** Photos enrolled at the same time (more than 1 only pays off with a FaceEnginePool). */
  concurrency?: number;
  progress?: ImportProgress;
  /** The signed-in admin (audited per photo, as the photo upload does); undefined: no per-photo audit (CLI). */
  actorUserId?: string | null;
  storage?: ObjectStorage;
}

async function enrollOne(studentId: string, photo: PhotoSource, opts: ImportOptions): Promise<PhotoResult> {
  let bytes: Uint8Array;
  try {
    bytes = await photo.read();
  } catch (err) {
    if (err instanceof PhotoReadError)
      return { filename: photo.name, status: 'rejected', code: err.code, reason: err.message };
    throw err;
  }
  const outcome = await enrollStudentPhoto({
    studentId,
    bytes,
    filename: photo.name,
    engine: opts.engine,
    actorUserId: opts.actorUserId,
    storage: opts.storage,
  });
  return { filename: photo.name, ...outcome };
}

export async function importRosterEntries(entries: RosterEntry[], opts: ImportOptions): Promise<EntryOutcome[]> {
  const outcomes: EntryOutcome[] = [];
  const tick = (entry: RosterEntry, photo: PhotoSource) => opts.progress?.tick(`${entry.label}/${photo.name}`);
  opts.progress?.start(entries.reduce((n, e) => n + e.photos.length, 0));
  try {
    for (const entry of entries) {
      let student: ResolvedStudent;
      try {
        student = await entry.resolve();
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        outcomes.push({ label: entry.label, student: null, error: err.message, coursesAdded: 0, photos: [] });
        for (const p of entry.photos) tick(entry, p);
        continue;
      }
      let coursesAdded = 0;
      for (const courseId of entry.courseIds) if (await enrollStudent(courseId, student.studentId)) coursesAdded++;
      const results: PhotoResult[] = new Array(entry.photos.length);
      let next = 0;
      const work = async () => {
        for (let i = next++; i < entry.photos.length; i = next++) {
          results[i] = await enrollOne(student.studentId, entry.photos[i]!, opts);
          tick(entry, entry.photos[i]!);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, work));
      const photos = await withPhotoWarnings(student.studentId, results);
      outcomes.push({ label: entry.label, student, error: null, coursesAdded, photos });
    }
  } finally {
    opts.progress?.stop();
  }
  return outcomes;
}
