import { env } from '@/lib/env';
import { LocalDiskStorage } from './local-disk-storage';
import type { ObjectStorage } from './types';

export { LocalDiskStorage } from './local-disk-storage';
export { InvalidStorageKeyError, keySegments, type ObjectStorage } from './types';

let storage: ObjectStorage | undefined;

/**
 * The process-wide storage from the environment: local disk under DATA_DIR.
 * (S3 joins behind the same interface when S3_BUCKET is set; until then DATA_DIR is used.)
 */
export function getStorage(): ObjectStorage {
  storage ??= new LocalDiskStorage(env().DATA_DIR);
  return storage;
}

/** For tests: forget the cached storage (e.g. after changing DATA_DIR). */
export function resetStorage(): void {
  storage = undefined;
}
