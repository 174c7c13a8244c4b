/**
 * A fresh clone without ../shared (the README's promise): `npm test` skips what needs the shared photos
 * with one summary line and fails nothing. The checkout's files are copied to a temp folder that has no
 * ../shared beside it, and the test files that read ../shared (directly or through a test helper) run
 * there through scripts/run-tests.mjs with CI unset. Running only those files keeps the cost small.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SELF = 'test/integration/without-shared.test.ts';
const MENTIONS_SHARED = /\.\.\/shared\b|\bshared\/(faces|liveness|tools|hooks)\b/;

/** The checkout's files as a fresh clone has them: tracked plus new, without ignored ones and scratch. */
function checkoutFiles(): string[] {
  const ls = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO, encoding: 'utf8' });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  return ls.stdout.split('\0').filter((f) => f && !f.startsWith('.scratch/') && existsSync(path.join(REPO, f)));
}

const isTestSupport = (f: string) =>
  /\.tsx?$/.test(f) && (f.startsWith('test/') || /(\.test|test-helpers)\.tsx?$/.test(f));

/** Test files that read ../shared themselves or through a test helper (followed through imports). */
async function filesNeedingShared(files: string[]): Promise<string[]> {
  const support = files.filter(isTestSupport);
  const source = new Map(
    await Promise.all(support.map(async (f) => [f, await readFile(path.join(REPO, f), 'utf8')] as const)),
  );
  const imports = new Map<string, string[]>();
  for (const [file, text] of source) {
    const specs = [...text.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    const targets = specs.flatMap((spec) => {
      const base = spec.startsWith('@/')
        ? spec.slice(2)
        : spec.startsWith('.')
          ? path.join(path.dirname(file), spec)
          : null;
      return base ? support.filter((f) => f.replace(/\.tsx?$/, '') === path.normalize(base)) : [];
    });
    imports.set(file, targets);
  }
  const needs = new Set(support.filter((f) => MENTIONS_SHARED.test(source.get(f)!)));
  for (let grew = true; grew;) {
    grew = false;
    for (const [file, targets] of imports) {
      if (needs.has(file) || !targets.some((t) => needs.has(t))) continue;
      needs.add(file);
      grew = true;
    }
  }
  return [...needs].filter((f) => /\.test\.tsx?$/.test(f) && !f.startsWith('test/e2e/') && f !== SELF).sort();
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

let tmp: string | undefined;
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a fresh clone without ../shared', () => {
  it(
    'npm test skips the tests that need it, with the summary line, and fails nothing',
    { timeout: 900_000 },
    async () => {
      const files = checkoutFiles();
      const selected = await filesNeedingShared(files);
      // The guard this test was written for, and a sample of each kind, must be among them.
      expect(selected).toContain('test/integration/eval-liveness-cli.test.ts');
      expect(selected).toContain('lib/face/engine.test.ts');

      tmp = await mkdtemp(path.join(os.tmpdir(), 'without-shared-'));
      const clone = path.join(tmp, 'repo');
      for (const f of files) {
        await mkdir(path.dirname(path.join(clone, f)), { recursive: true });
        await copyFile(path.join(REPO, f), path.join(clone, f));
      }
      // Installed packages and the fetched models are what `npm ci` adds to a clone.
      await symlink(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
      await symlink(path.join(REPO, 'models'), path.join(clone, 'models'), 'dir');
      expect(existsSync(path.join(clone, '../shared'))).toBe(false);

      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
      delete env.CI;
      delete env.TEST_SKIP_REPORT;
      const started = Date.now();
      const r = await run(
        'node',
        ['scripts/run-tests.mjs', '--stage', 'unit', '--stage', 'integration', ...selected],
        clone,
        env,
      );
      console.log(
        `[without-shared] ${selected.length} test files without ../shared in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      expect(r.code, r.out.slice(-8000)).toBe(0);
      expect(r.out).toContain('All 2 stages passed');
      const summary = r.out.match(/SKIPPED (\d+) test file\(s\) for missing prerequisites/);
      expect(summary, r.out.slice(-4000)).not.toBeNull();
      expect(Number(summary![1])).toBeGreaterThan(0);
      expect(r.out).toMatch(/eval-liveness-cli\.test\].*is absent/);
    },
  );
});
