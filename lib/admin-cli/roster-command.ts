/**
 * `students import --csv ROSTER.csv [--photos ZIP|DIR] [--dry-run]`: the dashboard's roster import
 * from the command line — the same parsing, checks, import loop and per-row result
 * (lib/enrollment/roster-plan.ts). `--dry-run` prints the preview and writes nothing.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EnrollmentEngine } from '@/lib/enrollment/enroll-photo';
import { photosFromFiles, photosFromZip, type PhotoSet } from '@/lib/enrollment/photo-files';
import { parseRosterCsv } from '@/lib/enrollment/roster-csv';
import type { ImportProgress } from '@/lib/enrollment/roster-import';
import { planRosterImport, runRosterImport } from '@/lib/enrollment/roster-plan';
import { AppError } from '@/lib/errors';

type Result = { json: unknown; text: string };
export interface RosterCommandDeps {
  withEngine<T>(photos: number, fn: (engine: EnrollmentEngine, concurrency: number) => Promise<T>): Promise<T>;
  progress?: ImportProgress;
}

async function readOrThrow(file: string, option: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new AppError(
      'VALIDATION',
      `Cannot read --${option} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

async function photoSet(source: string | undefined): Promise<PhotoSet> {
  if (!source) return { photos: [], ignored: [] };
  const info = await stat(source).catch(() => null);
  if (!info) throw new AppError('VALIDATION', `Cannot read --photos ${source}: no such file or folder`);
  if (!info.isDirectory()) return photosFromZip(await readOrThrow(source, 'photos'));
  const names = (await readdir(source, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const files = await Promise.all(
    names.map(async (e) => {
      const full = path.join(e.parentPath, e.name);
      const { size } = await stat(full);
      return {
        name: path.relative(source, full),
        size,
        arrayBuffer: async () => new Uint8Array(await readFile(full)).buffer,
      };
    }),
  );
  return photosFromFiles(files);
}

export async function rosterImportCommand(
  o: { csv: string; photos?: string; dryRun: boolean },
  deps: RosterCommandDeps,
): Promise<Result> {
  const text = (await readOrThrow(o.csv, 'csv')).toString('utf8');
  const plan = await planRosterImport(parseRosterCsv(text), await photoSet(o.photos));
  const files = plan.preview.files.map((f) => ({ file: f.file, problem: f.message }));
  const fileLines = files.map((f) => `  ${f.file}: ${f.problem}`);
  if (o.dryRun) {
    const { rows, summary } = plan.preview;
    const json = {
      rows: rows.map((r) => ({
        line: r.line,
        student_number: r.studentNumber,
        name: r.name,
        existing: r.existing,
        photos: r.photos,
        problems: r.problems.map((p) => p.message),
        no_photo: r.noPhoto,
      })),
      files,
      summary: { rows: summary.rows, to_import: summary.toImport, skipped: summary.skipped, photos: summary.photos },
    };
    const lines = rows.map(
      (r) =>
        `  line ${r.line} ${r.studentNumber || '(no number)'}: ${r.problems.length ? `skipped — ${r.problems.map((p) => p.message).join(' ')}` : `${r.existing ? 'known' : 'new'}, ${r.photos.length} photo(s)${r.noPhoto ? ' — no photo: cannot be recognised yet' : ''}`}`,
    );
    return {
      json,
      text: [
        `${summary.rows} row(s): ${summary.toImport} to import, ${summary.skipped} skipped, ${summary.photos} photo(s). Nothing was written (--dry-run).`,
        ...lines,
        ...(fileLines.length ? ['Files not imported:', ...fileLines] : []),
      ].join('\n'),
    };
  }
  const result = await deps.withEngine(plan.preview.summary.photos, (engine, concurrency) =>
    runRosterImport(plan, { engine, concurrency, progress: deps.progress, actorUserId: null }),
  );
  const s = result.summary;
  const json = {
    rows: result.rows.map((r) => ({
      line: r.line,
      student_number: r.studentNumber,
      name: r.name,
      student_id: r.studentId,
      result: r.result,
      courses_added: r.coursesAdded,
      photos_added: r.photosAdded,
      photos_already_enrolled: r.photosKnown,
      rejected: r.rejected,
      problems: r.problems,
    })),
    files,
    summary: {
      created: s.created,
      updated: s.updated,
      unchanged: s.unchanged,
      skipped: s.skipped,
      photos_added: s.photosAdded,
      photos_rejected: s.photosRejected,
    },
  };
  const lines = result.rows.map(
    (r) =>
      `  line ${r.line} ${r.studentNumber || '(no number)'}: ${r.result}${r.photosAdded ? `, ${r.photosAdded} photo(s) added` : ''}${[...r.problems, ...r.rejected.map((x) => `${x.file}: ${x.reason}`)].map((x) => ` — ${x}`).join('')}`,
  );
  const head = `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped; ${s.photosAdded} photo(s) added, ${s.photosRejected} rejected.`;
  return {
    json,
    text: [head, ...lines, ...(fileLines.length ? ['Files not imported:', ...fileLines] : [])].join('\n'),
  };
}
