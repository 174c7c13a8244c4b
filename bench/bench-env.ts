/**
 * The throwaway world a benchmark runs in: its own migrated database on DATABASE_URL's server and its
 * own DATA_DIR, both pointed at by the process environment, and removed by `stop()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closeDb } from '@/db/client';
import { dropDatabase } from '@/db/create-database';
import { runMigrations } from '@/db/migrate';
import { resetEnvCache } from '@/lib/env';
import { throwawayUrl } from '@/test/integration/throwaway-db';

export async function startBenchEnvironment(
  name: string,
): Promise<{ url: string; dataDir: string; stop(): Promise<void> }> {
  const url = throwawayUrl('att_bench');
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL ??= 'error';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `bench-${name}-`));
  process.env.DATA_DIR = dataDir;
  resetEnvCache();
  await runMigrations(url);
  return {
    url,
    dataDir,
    async stop() {
      await closeDb();
      await dropDatabase(url);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
