import { env } from '@/lib/env';
import { LocalDiskStorage } from './local-disk-storage';
import { S3Storage } from './s3-storage';
import type { ObjectStorage } from './types';

export { LocalDiskStorage } from './local-disk-storage';
export { S3Storage, StorageUnavailableError, type S3StorageOptions } from './s3-storage';
export { InvalidStorageKeyError, keySegments, type ObjectStorage } from './types';

let storage: ObjectStorage | undefined;

/**
 * The process-wide storage from the environment: S3 (or an S3-compatible store) when S3_BUCKET is
 * set, else local disk under DATA_DIR. Credentials come from the AWS SDK chain (AWS_ACCESS_KEY_ID…).
 */
export function getStorage(): ObjectStorage {
  storage ??= createStorage(env());
  return storage;
}

export function createStorage(
  settings: Pick<
    ReturnType<typeof env>,
    'DATA_DIR' | 'S3_BUCKET' | 'S3_REGION' | 'S3_PREFIX' | 'S3_ENDPOINT' | 'S3_FORCE_PATH_STYLE'
  >,
): ObjectStorage {
  if (!settings.S3_BUCKET) return new LocalDiskStorage(settings.DATA_DIR);
  return new S3Storage({
    bucket: settings.S3_BUCKET,
    region: settings.S3_REGION,
    prefix: settings.S3_PREFIX,
    endpoint: settings.S3_ENDPOINT,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
  });
}

/** For tests: forget the cached storage (e.g. after changing DATA_DIR). */
export function resetStorage(): void {
  storage = undefined;
}
