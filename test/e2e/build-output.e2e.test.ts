/**
 * The build output holds no user data and no repo-only code. Next copies every file its traces list
 * into .next-e2e/standalone (what the Docker image ships); a dynamic fs access once made the traces
 * take the whole project, data/ with the students' photos included. global-setup.ts plants a canary
 * photo under data/photos/ while it builds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_LOG, CANARY } from './global-setup';

const DIST_DIR = path.resolve('.next-e2e');
const STANDALONE = path.join(DIST_DIR, 'standalone');
const ROOT = process.cwd();
// What must never ship: user data, held-out sets, scratch files, tests, benchmarks, docs.
const NEVER = /^(data|\.holdout[^/]*|\.scratch|test|bench|docs)\/|\.test\.tsx?$/;

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(full, base);
    return [path.relative(base, full)];
  });
}

describe('build output', () => {
  it('next build prints no warning (the tracing and Edge-runtime warnings of before were ~100 lines)', (ctx) => {
    // Absent when this run reused a build made elsewhere (E2E_SKIP_BUILD=1).
    if (!existsSync(BUILD_LOG)) ctx.skip();
    const log = readFileSync(BUILD_LOG, 'utf8');
    expect(log).toContain('Compiled successfully');
    // A fresh clone has no `.next-e2e/cache` yet, so Next says so once ("No build cache found"): that is the
    // state of the checkout, not a problem in the code, and the only line let through.
    const lines = log.split('\n').filter((line) => !/⚠ No build cache found\./.test(line));
    expect(lines.join('\n')).not.toMatch(/encountered \d+ warnings?|Warning:|had an error|⚠|npm warn/i);
  });

  it('.next-e2e/standalone holds no file under data/, and no test, bench or docs file', () => {
    expect(existsSync(path.join(STANDALONE, 'server.js')), 'standalone output was not built').toBe(true);
    expect(existsSync(path.join(STANDALONE, CANARY))).toBe(false);
    const shipped = walk(STANDALONE).map((f) => f.split(path.sep).join('/'));
    expect(shipped.filter((f) => NEVER.test(f))).toEqual([]);
    // The server and the face engine's files it needs are still there.
    expect(shipped).toContain('server.js');
    expect(shipped.some((f) => f.startsWith('models/faceplugin-1.0.3/'))).toBe(true);
  });

  it("no route's trace lists a file of the repo's data/ or tests", () => {
    const traces = walk(path.join(DIST_DIR, 'server')).filter((f) => f.endsWith('.nft.json'));
    expect(traces.length).toBeGreaterThan(10);
    const bad = traces.flatMap((trace) => {
      const dir = path.dirname(path.join(DIST_DIR, 'server', trace));
      const files: string[] = JSON.parse(readFileSync(path.join(DIST_DIR, 'server', trace), 'utf8')).files;
      return files
        .map((f) => path.relative(ROOT, path.resolve(dir, f)).split(path.sep).join('/'))
        .filter((f) => !f.startsWith('..') && !f.startsWith('node_modules/') && NEVER.test(f))
        .map((f) => `${trace}: ${f}`);
    });
    expect(bad).toEqual([]);
  });
});
