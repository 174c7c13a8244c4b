/**
 * Builds the app once for every browser-test file (each file then starts its own server on its own
 * throwaway database). E2E_SKIP_BUILD=1 reuses an existing .next-e2e build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Same folder as server.ts's DIST_DIR (not imported: this runs in vitest's main process, outside the test aliases).
const DIST_DIR = '.next-e2e';

/**
 * A stand-in student photo in the repo's data/ while the build runs: build-output.e2e.test.ts checks
 * that it (like any user data) did not end up in the build output.
 */
export const CANARY = 'data/photos/e2e-build-canary.jpg';
/** What `next build` printed, for the same test. */
export const BUILD_LOG = path.join(DIST_DIR, 'build-output.log');

/** Writes the canary, making only the folders that were missing; returns the undo. */
function plantCanary(): () => void {
  const made = ['data', 'data/photos'].filter((dir) => !existsSync(dir));
  for (const dir of made) mkdirSync(dir);
  writeFileSync(CANARY, 'not a real photo: a file that must never reach .next-e2e/standalone');
  return () => {
    rmSync(CANARY, { force: true });
    for (const dir of made.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // Something else wrote there meanwhile (a running dev server): leave it.
      }
    }
  };
}

export default function setup(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(path.join(DIST_DIR, 'BUILD_ID'))) return;
  const started = Date.now();
  const removeCanary = plantCanary();
  try {
    const build = spawnSync('node_modules/.bin/next', ['build'], {
      env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
    // Kept for build-output.e2e.test.ts, which checks that the build printed no warning.
    writeFileSync(BUILD_LOG, `${build.stdout}\n${build.stderr}`);
  } finally {
    removeCanary();
  }
  console.log(`[e2e] next build into ${DIST_DIR} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // The test files (started after this) reuse the build.
  process.env.E2E_SKIP_BUILD = '1';
}
