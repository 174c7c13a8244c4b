import { afterEach, describe, expect, it, vi } from 'vitest';

describe('Auth.js options', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.resetModules();
  });

  it('uses Secure cookies exactly when the public URL is https', async () => {
    for (const [url, secure] of [
      ['https://attendance.campus.edu', true],
      ['http://localhost:3000', false],
    ] as const) {
      vi.resetModules();
      process.env.NEXTAUTH_URL = url;
      process.env.AUTH_SECRET = 'a-long-enough-secret-for-tests';
      const { resetEnvCache } = await import('@/lib/env');
      resetEnvCache();
      const { getAuthOptions } = await import('./options');
      expect(getAuthOptions().useSecureCookies, url).toBe(secure);
    }
  });
});
