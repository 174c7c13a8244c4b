import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipUnlessCi } from './needs';

describe('skipUnlessCi', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
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
});
