import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { skipUnlessCi } from './needs';

describe('skipUnlessCi', () => {
  const ci = process.env.CI;
  const report = process.env.TEST_SKIP_REPORT;
  // These tests' own skips must not reach the report of the `npm test` running them.
  beforeEach(() => {
    delete process.env.TEST_SKIP_REPORT;
  });
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    if (report === undefined) delete process.env.TEST_SKIP_REPORT;
    else process.env.TEST_SKIP_REPORT = report;
    vi.restoreAllMocks();
  });

  it('fails under CI=true when something a test needs is missing', () => {
    process.env.CI = 'true';
    expect(() => skipUnlessCi(true, 'ffmpeg is not on PATH')).toThrow(
      /ffmpeg is not on PATH — under CI=true these tests must run/,
    );
    expect(() => skipUnlessCi(false, 'never shown')).not.toThrow();
  });

  it('only warns outside CI', () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    skipUnlessCi('needs ffmpeg', 'pipeline tests skipped: needs ffmpeg');
    expect(warn).toHaveBeenCalledWith('pipeline tests skipped: needs ffmpeg');
  });

  it('adds each skip to the report file npm test summarises', () => {
    delete process.env.CI;
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skips-'));
    process.env.TEST_SKIP_REPORT = path.join(dir, 'skips.txt');
    skipUnlessCi(true, 'faces absent:\n  enrolment skipped');
    skipUnlessCi(false, 'never listed');
    skipUnlessCi(true, 'ffmpeg absent');
    expect(readFileSync(process.env.TEST_SKIP_REPORT, 'utf8')).toBe('faces absent: enrolment skipped\nffmpeg absent\n');
    rmSync(dir, { recursive: true, force: true });
  });
});
