import { appendFileSync } from 'node:fs';

/**
 * For tests that need something outside the repository (../shared data, ffmpeg, g++): when it is
 * missing, a local run skips those tests with a warning, but under CI=true the run fails, so CI can
 * never pass by skipping them. `npm test` (scripts/run-tests.mjs) sets TEST_SKIP_REPORT to a file
 * each skip is added to, and ends with one line listing them.
 */
export function skipUnlessCi(missing: unknown, message: string): void {
  if (!missing) return;
  if (process.env.CI === 'true') throw new Error(`${message} — under CI=true these tests must run, not skip`);
  console.warn(message);
  const report = process.env.TEST_SKIP_REPORT;
  if (report) appendFileSync(report, `${message.replace(/\s+/g, ' ')}\n`);
}
