/**
 * `next build` into .next-e2e for the browser tests. Run once per test run by the e2e project's
 * globalSetup (every e2e file then starts the same build), or by startApp() for a bench script.
 * E2E_SKIP_BUILD=1 reuses an existing build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const DIST_DIR = '.next-e2e';

export function buildApp(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(path.join(DIST_DIR, 'BUILD_ID'))) return;
  const build = spawnSync('node_modules/.bin/next', ['build'], { env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
}

/** Vitest globalSetup: build once, then let every file's startApp() reuse it. */
export default function setup(): void {
  buildApp();
  process.env.E2E_SKIP_BUILD = '1';
}
