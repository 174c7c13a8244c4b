/**
 * A quiet install: npm reads this project's .npmrc and package.json without a warning, every
 * dependency install script is either allowed or denied in package.json's allowScripts, and
 * onnxruntime-node's install script (CUDA libraries from nuget.org) did not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const npm = (...args: string[]) => spawnSync('npm', args, { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
const npmMajor = Number(npm('--version').stdout.split('.')[0]);
// npm 11 reviews install scripts (`npm install-scripts`); older versions have no such command.
const reviewsScripts = npm('install-scripts', '--help').status === 0;

describe('npm in this project', () => {
  it('reads .npmrc and package.json without a warning', () => {
    const r = npm('pkg', 'get', 'name');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('"face-attendance"');
    expect(r.stderr).not.toMatch(/npm warn/i);
  });

  it.skipIf(!reviewsScripts)(`has no dependency install script left unreviewed (npm ${npmMajor})`, () => {
    const r = npm('install-scripts', 'ls');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('No packages with unreviewed install scripts');
    expect(r.stderr).not.toMatch(/npm warn/i);
  });

  const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
  it.skipIf(!linuxX64)("onnxruntime-node's CUDA libraries were not fetched; its CPU runtime is there", () => {
    const bin = path.join(REPO, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64');
    expect(existsSync(path.join(bin, 'onnxruntime_binding.node'))).toBe(true);
    expect(existsSync(path.join(bin, 'libonnxruntime_providers_cuda.so'))).toBe(false);
  });
});
