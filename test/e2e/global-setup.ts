/**
 * Builds the app once for every browser-test file (each file then starts its own server on its own
 * throwaway database). E2E_SKIP_BUILD=1 reuses an existing .next-e2e build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// Same folder as server.ts's DIST_DIR (not imported: this runs in vitest's main process, outside the test aliases).
const DIST_DIR = '.next-e2e';

export default function setup(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(path.join(DIST_DIR, 'BUILD_ID'))) return;
  const started = Date.now();
  const build = spawnSync('node_modules/.bin/next', ['build'], {
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  console.log(`[e2e] next build into ${DIST_DIR} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // The test files (started after this) reuse the build.
  process.env.E2E_SKIP_BUILD = '1';
}
