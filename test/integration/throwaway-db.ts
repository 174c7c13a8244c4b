import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { closeDb } from '@/db/client';
import { dropDatabase } from '@/db/create-database';
import { runMigrations } from '@/db/migrate';
import { resetEnvCache } from '@/lib/env';

/** The server from DATABASE_URL (or the local default) with another database name. */
export function throwawayUrl(prefix = 'att_test'): string {
  const url = new URL(process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/attendance');
  url.pathname = `/${prefix}_${randomBytes(5).toString('hex')}`;
  return url.toString();
}

/**
 * Gives the calling test file its own migrated database (att_test_<random>), points the process-wide
 * client at it, and drops it afterwards.
 */
export function useThrowawayDatabase(options: { migrate?: boolean } = {}): { url: () => string } {
  const url = throwawayUrl();
  const original = process.env.DATABASE_URL;
  beforeAll(async () => {
    process.env.DATABASE_URL = url;
    resetEnvCache();
    if (options.migrate !== false) await runMigrations(url);
  });
  afterAll(async () => {
    await closeDb();
    await dropDatabase(url);
    process.env.DATABASE_URL = original;
    resetEnvCache();
  });
  return { url: () => url };
}
