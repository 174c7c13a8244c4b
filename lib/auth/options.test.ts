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

  it("keeps Auth.js's own redirects on this app (same rule as the login page)", async () => {
    process.env.AUTH_SECRET = 'a-long-enough-secret-for-tests';
    const { resetEnvCache } = await import('@/lib/env');
    resetEnvCache();
    const { getAuthOptions } = await import('./options');
    const redirect = getAuthOptions().callbacks!.redirect!;
    const baseUrl = 'http://localhost:3000';
    for (const [url, expected] of [
      ['/reports?x=1', `${baseUrl}/reports?x=1`],
      [`${baseUrl}/sessions/abc`, `${baseUrl}/sessions/abc`],
      ['/.//evil.example', `${baseUrl}/`],
      [`${baseUrl}//evil.example`, `${baseUrl}/`],
      [`${baseUrl}/.//evil.example`, `${baseUrl}/`],
      ['/%2F%2Fevil.example', `${baseUrl}/`],
      ['https://evil.example/x', baseUrl],
      ['http://localhost:3000.evil.example/', baseUrl],
    ]) {
      expect(await redirect({ url: url!, baseUrl }), url).toBe(expected);
    }
  });
});
