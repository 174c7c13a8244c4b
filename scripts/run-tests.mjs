#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure.
// Integration tests need MariaDB/MySQL at DATABASE_URL's server (default 127.0.0.1:3306, root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

// `node scripts/run-tests.mjs --stage unit --stage integration [file …]` runs only those stages, and in
// them only the test files named (as vitest filters them); test/integration/without-shared.test.ts uses it.
const { values: picked, positionals: files } = parseArgs({
  options: { stage: { type: 'string', multiple: true } },
  allowPositionals: true,
});

const bin = (name) => `node_modules/.bin/${name}`;
const firmwareTests = 'firmware/esp32-cam/test/run.sh';
const vitest = (project) => ({
  cmd: bin('vitest'),
  args: ['run', '--project', project, ...(files.length ? ['--passWithNoTests', ...files] : [])],
});

const allStages = [
  { key: 'typecheck', name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit'] },
  { key: 'lint', name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings=0'] },
  // Prettier, width 120 (.prettierrc.json); `npm run format` fixes what this reports.
  { key: 'format', name: 'format check', cmd: bin('prettier'), args: ['--check', '.'] },
  { key: 'unit', name: 'unit tests', ...vitest('unit') },
  { key: 'integration', name: 'integration tests', ...vitest('integration') },
  // Builds Next into .next-e2e, starts it on a throwaway database and drives Debian's Chromium.
  { key: 'e2e', name: 'browser tests', ...vitest('e2e') },
  // The firmware's host-side tests join once they exist.
  ...(existsSync(firmwareTests)
    ? [{ key: 'firmware', name: 'firmware tests', cmd: 'npm', args: ['run', '--silent', 'test:firmware'] }]
    : []),
];
const unknown = (picked.stage ?? []).filter((key) => !allStages.some((s) => s.key === key));
if (unknown.length) {
  console.error(`Unknown stage ${unknown.join(', ')}; stages: ${allStages.map((s) => s.key).join(', ')}`);
  process.exit(2);
}
const stages = picked.stage ? allStages.filter((s) => picked.stage.includes(s.key)) : allStages;

// Tests that skip for a missing prerequisite (test/helpers/needs.ts) add a line here; listed at the end.
const skipDir = mkdtempSync(path.join(os.tmpdir(), 'test-skips-'));
const skipReport = path.join(skipDir, 'skipped.txt');

/** One loud line naming what was skipped (a local run without ../shared or ffmpeg), then the details. */
function reportSkips() {
  const lines = existsSync(skipReport)
    ? [...new Set(readFileSync(skipReport, 'utf8').split('\n').filter(Boolean))]
    : [];
  rmSync(skipDir, { recursive: true, force: true });
  if (lines.length === 0) return;
  console.warn(
    `\n⚠ SKIPPED ${lines.length} test file(s) for missing prerequisites — this run does not cover them (under CI=true they fail):`,
  );
  for (const line of lines) console.warn(`  - ${line}`);
}

const results = [];
const t0 = Date.now();
for (const stage of stages) {
  console.log(`\n▶ ${stage.name}: ${stage.cmd} ${stage.args.join(' ')}`);
  const started = Date.now();
  const run = spawnSync(stage.cmd, stage.args, {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TEST_SKIP_REPORT: skipReport },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  results.push(`${ok ? '✔' : '✘'} ${stage.name} (${seconds}s)`);
  if (!ok) {
    console.error(
      `\n✘ ${stage.name} failed${run.error ? `: ${run.error.message}` : ` (exit ${run.status ?? run.signal})`}`,
    );
    console.error(results.join('\n'));
    reportSkips();
    process.exit(run.status || 1);
  }
}
console.log(
  `\n${results.join('\n')}\nAll ${stages.length} stages passed in ${((Date.now() - t0) / 1000).toFixed(1)}s.`,
);
reportSkips();
