/**
 * The photos of a roster import: a ZIP archive, or files picked one by one / as folders. Each photo is
 * read only when it is enrolled (one at a time), so an import never holds more than one unpacked photo.
 *
 * ZIP safety: entry names that leave the archive (`../x.jpg`, `/etc/x`, `C:\x`) refuse the archive;
 * links are skipped; an archive with more than MAX_ENTRIES entries or more than MAX_UNPACKED_BYTES
 * of declared content is refused; an entry that unpacks to more than it declares, or to more than
 * MAX_PHOTO_BYTES, is refused as damaged / too large while it is being unpacked — a zip bomb never
 * gets to expand in memory.
 */
import JSZip from 'jszip';
import { AppError } from '@/lib/errors';

export const PHOTO_LIMITS = {
  /** Per photo; the dashboard photo upload (photo-upload.ts) uses the same cap. */
  maxPhotoBytes: 10_000_000,
  maxEntries: 10_000,
  maxUnpackedBytes: 500_000_000,
};
export type PhotoLimits = typeof PHOTO_LIMITS;

export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

/** One photo waiting to be enrolled. `read` rejects with PhotoReadError for a photo that cannot be used. */
export interface PhotoSource {
  /** The file's name without folders, e.g. `S1001_2.jpg`. */
  name: string;
  /** Where it came from, for messages: the path inside the ZIP or the dropped folder. */
  path: string;
  read(): Promise<Uint8Array>;
}

export class PhotoReadError extends Error {
  constructor(
    readonly code: 'too-large' | 'corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'PhotoReadError';
  }
}

/** A file of the upload that is not imported, and why. */
export interface IgnoredFile {
  file: string;
  code: 'not-a-photo' | 'link';
}

export interface PhotoSet {
  photos: PhotoSource[];
  ignored: IgnoredFile[];
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
const isPhotoName = (name: string) => PHOTO_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
/** Finder and Windows leave these in archives and folders; nobody means them as photos. */
const isJunk = (p: string) =>
  p
    .split(/[\\/]/)
    .some((part) => part === '__MACOSX' || part.startsWith('.') || part === 'Thumbs.db' || part === 'desktop.ini');

function leavesArchive(name: string): boolean {
  const parts = name.split(/[\\/]/);
  return name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || parts.includes('..');
}

/** Code-point order: `S1.jpg` before `S1_2.jpg`, the same on every machine. */
const byPath = (a: PhotoSource, b: PhotoSource) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

const mb = (n: number) => `${Math.round(n / 1_000_000)} MB`;

/** Declared (central directory) size; jszip keeps it on a private field that has been stable since 3.0. */
const declaredSize = (f: JSZip.JSZipObject, fallback: number) =>
  (f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? fallback;

type ChunkStream = {
  on(ev: 'data', fn: (chunk: Uint8Array) => void): ChunkStream;
  on(ev: 'end', fn: () => void): ChunkStream;
  on(ev: 'error', fn: (e: Error) => void): ChunkStream;
  pause(): void;
  resume(): void;
};

/** Unpacks one entry, stopping as soon as it grows past its declared size or the photo cap. */
function unpackCapped(entry: JSZip.JSZipObject, declared: number, limits: PhotoLimits): Promise<Uint8Array> {
  const cap = Math.min(declared, limits.maxPhotoBytes);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let done = false;
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): ChunkStream }).internalStream(
      'uint8array',
    );
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      stream.pause();
      reject(err);
    };
    stream
      .on('data', (chunk) => {
        if (done) return;
        total += chunk.byteLength;
        if (total > cap) {
          fail(
            total > declared
              ? new PhotoReadError(
                  'corrupt',
                  'The file is damaged inside the ZIP (it unpacks to more than the archive says); it was not read.',
                )
              : new PhotoReadError('too-large', `Larger than ${mb(limits.maxPhotoBytes)}.`),
          );
          return;
        }
        chunks.push(chunk);
      })
      .on('error', (e) => fail(new PhotoReadError('corrupt', `The file is damaged inside the ZIP (${e.message}).`)))
      .on('end', () => {
        if (done) return;
        done = true;
        resolve(Buffer.concat(chunks, total));
      });
    stream.resume();
  });
}

/** The photos of a ZIP archive; AppError VALIDATION (with a plain sentence) when the archive is refused. */
export async function photosFromZip(bytes: Uint8Array, limits: PhotoLimits = PHOTO_LIMITS): Promise<PhotoSet> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (err) {
    const encrypted = /encrypted/i.test((err as Error).message);
    throw new AppError(
      'VALIDATION',
      encrypted
        ? 'The photo archive is password-protected; save it again without a password.'
        : 'The photo archive is not a ZIP file that can be opened.',
    );
  }
  const entries = Object.values(zip.files);
  if (entries.length > limits.maxEntries)
    throw new AppError(
      'VALIDATION',
      `The photo archive has ${entries.length} entries; at most ${limits.maxEntries} are accepted.`,
    );
  const photos: PhotoSource[] = [];
  const ignored: IgnoredFile[] = [];
  let declaredTotal = 0;
  for (const entry of entries) {
    const original = entry.unsafeOriginalName ?? entry.name;
    if (leavesArchive(original))
      throw new AppError('VALIDATION', `The photo archive was refused: "${original}" points outside the archive.`);
    if (entry.dir || isJunk(original)) continue;
    const mode = typeof entry.unixPermissions === 'number' ? entry.unixPermissions : 0;
    if ((mode & 0o170000) === 0o120000) {
      ignored.push({ file: original, code: 'link' });
      continue;
    }
    if (!isPhotoName(original)) {
      ignored.push({ file: original, code: 'not-a-photo' });
      continue;
    }
    const declared = declaredSize(entry, limits.maxPhotoBytes);
    declaredTotal += declared;
    if (declaredTotal > limits.maxUnpackedBytes) {
      throw new AppError(
        'VALIDATION',
        `The photo archive unpacks to more than ${mb(limits.maxUnpackedBytes)}; split it into smaller archives.`,
      );
    }
    photos.push({
      name: baseName(original),
      path: original,
      read: async () => {
        if (declared > limits.maxPhotoBytes)
          throw new PhotoReadError('too-large', `Larger than ${mb(limits.maxPhotoBytes)}.`);
        return unpackCapped(entry, declared, limits);
      },
    });
  }
  photos.sort(byPath);
  return { photos, ignored };
}

/** Photos picked as files or folders (the browser sends each file's folder path as its name when it has one). */
export function photosFromFiles(
  files: ReadonlyArray<{ name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }>,
  limits: PhotoLimits = PHOTO_LIMITS,
): PhotoSet {
  const photos: PhotoSource[] = [];
  const ignored: IgnoredFile[] = [];
  for (const file of files) {
    if (isJunk(file.name)) continue;
    if (!isPhotoName(file.name)) {
      ignored.push({ file: file.name, code: 'not-a-photo' });
      continue;
    }
    photos.push({
      name: baseName(file.name),
      path: file.name,
      read: async () => {
        if (file.size > limits.maxPhotoBytes)
          throw new PhotoReadError('too-large', `Larger than ${mb(limits.maxPhotoBytes)}.`);
        return new Uint8Array(await file.arrayBuffer());
      },
    });
  }
  photos.sort(byPath);
  return { photos, ignored };
}
