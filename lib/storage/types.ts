/**
 * Where photos, unknown-face crops and backups live. Keys are relative, '/'-separated paths such as
 * `photos/<studentId>/<photoId>.jpg`; every backend (local disk now, S3 later) accepts the same keys.
 */
export interface ObjectStorage {
  /** Stores `bytes` under `key`, replacing any previous object; readers never see a partial object. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every key starting with `prefix` (e.g. `photos/<studentId>/`), sorted. */
  list(prefix: string): Promise<string[]>;
}

export class InvalidStorageKeyError extends Error {
  constructor(key: string, why: string) {
    super(`Invalid storage key ${JSON.stringify(key)}: ${why}`);
    this.name = 'InvalidStorageKeyError';
  }
}

/**
 * Checks a key and returns its segments. Rejects what could escape the storage root or mean different
 * things on different backends: absolute paths, `..`/`.` segments, backslashes, empty segments, NUL.
 */
export function keySegments(key: string): string[] {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidStorageKeyError(String(key), 'empty');
  if (key.length > 512) throw new InvalidStorageKeyError(key.slice(0, 40), 'longer than 512 characters');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key))
    throw new InvalidStorageKeyError(key, 'absolute paths are not allowed');
  if (key.includes('\\') || key.includes('\0'))
    throw new InvalidStorageKeyError(key, 'backslashes and NUL are not allowed');
  const segments = key.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..')
      throw new InvalidStorageKeyError(key, 'empty, "." and ".." segments are not allowed');
  }
  return segments;
}
