/**
 * The multipart body of `POST /api/students/import`: `roster` (the CSV file), optional `archive`
 * (a ZIP of photos) and/or `photos` (files, each sent with its folder path as its name), and `mode`
 * (`preview` or `import`). The whole body is capped while it streams (lib/http-body.ts).
 */
import { AppError } from '@/lib/errors';
import { formFiles, readMultipartCapped } from '@/lib/http-body';
import { photosFromFiles, photosFromZip, type PhotoSet } from './photo-files';
import { parseRosterCsv, type RosterCsvRow } from './roster-csv';

export const ROSTER_UPLOAD_LIMITS = {
  /** Roster + photos in one request; larger terms are imported in parts. */
  maxUploadBytes: 200_000_000,
  maxRosterBytes: 2_000_000,
  maxPhotoFiles: 5000,
};

export interface RosterUpload {
  mode: 'preview' | 'import';
  rows: RosterCsvRow[];
  photos: PhotoSet;
}

/** UTF-8 (with or without BOM); a file that is not valid UTF-8 is read as Windows-1252, as older Excel saves it. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export async function readRosterUpload(req: Request): Promise<RosterUpload> {
  const limits = ROSTER_UPLOAD_LIMITS;
  const form = await readMultipartCapped(
    req,
    limits.maxUploadBytes,
    () =>
      new AppError(
        'PAYLOAD_TOO_LARGE',
        `The upload is larger than ${limits.maxUploadBytes / 1_000_000} MB; import the roster in parts (for example one ZIP per class).`,
      ),
    'Send the roster as a multipart/form-data upload.',
  );
  const mode = form.get('mode') === 'import' ? 'import' : 'preview';
  const [roster] = formFiles(form, 'roster');
  if (!roster || roster.size === 0) throw new AppError('VALIDATION', 'Choose the roster file (CSV) to import.');
  if (roster.size > limits.maxRosterBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', `The roster file is larger than ${limits.maxRosterBytes / 1_000_000} MB.`);
  const rows = parseRosterCsv(decodeText(new Uint8Array(await roster.arrayBuffer())));

  const sets: PhotoSet[] = [];
  const [archive] = formFiles(form, 'archive');
  if (archive && archive.size > 0) sets.push(await photosFromZip(new Uint8Array(await archive.arrayBuffer())));
  const files = formFiles(form, 'photos');
  if (files.length > limits.maxPhotoFiles)
    throw new AppError(
      'VALIDATION',
      `${files.length} photo files were sent; at most ${limits.maxPhotoFiles} per import.`,
    );
  if (files.length > 0) sets.push(photosFromFiles(files));
  return { mode, rows, photos: { photos: sets.flatMap((s) => s.photos), ignored: sets.flatMap((s) => s.ignored) } };
}
