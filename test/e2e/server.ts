/**
 * Starts the built dashboard (`next build` into .next-e2e, then `next start`) against a throwaway
 * database that is migrated and seeded here. Returns the base URL and the seeded passwords.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { closeDb } from '@/db/client';
import { createDatabaseIfMissing, dropDatabase } from '@/db/create-database';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { resetEnvCache } from '@/lib/env';
import { throwawayUrl } from '../integration/throwaway-db';

export const DIST_DIR = '.next-e2e';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface E2eApp {
  baseUrl: string;
  passwords: Record<string, string>;
  dataDir: string;
  /** What a worker started for this app needs to share with it (same database, secret and port). */
  workerEnv: { DATABASE_URL: string; AUTH_SECRET: string; WORKER_PORT: string; DATA_DIR: string };
  stop(): Promise<void>;
}

/**
 * `env`: extra settings for `next start` (settings are read at run time, so one build serves them all);
 * `port`: when the caller must know the URL before the app starts (an IdP's redirect URI).
 */
export async function startApp(options: { env?: Record<string, string>; port?: number } = {}): Promise<E2eApp> {
  const dbUrl = throwawayUrl('att_e2e');
  process.env.DATABASE_URL = dbUrl;
  resetEnvCache();
  await createDatabaseIfMissing(dbUrl);
  await runMigrations(dbUrl);
  const seeded = await seed();
  const passwords = Object.fromEntries(seeded.passwords.map((p) => [p.email, p.password]));

  const env = { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' };
  if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync(path.join(DIST_DIR, 'BUILD_ID'))) {
    const build = spawnSync('node_modules/.bin/next', ['build'], {
      env: { ...env, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'att-e2e-'));
  const workerEnv = {
    DATABASE_URL: dbUrl,
    AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret',
    WORKER_PORT: String(await freePort()),
    DATA_DIR: dataDir,
  };
  const child: ChildProcess = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
    env: {
      ...env,
      NODE_ENV: 'production',
      ...workerEnv,
      NEXTAUTH_URL: baseUrl,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`next start did not answer in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseUrl,
    passwords,
    dataDir,
    workerEnv,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode === null) child.kill('SIGKILL');
      await closeDb();
      await dropDatabase(dbUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
