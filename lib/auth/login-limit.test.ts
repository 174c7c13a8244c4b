import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limit';

/** One attempt as authorize() makes it: take the points, then report the password check. */
async function attempt(l: LoginLimiter, email: string, ip: string, right = false): Promise<number> {
  const a = await l.begin(email, ip);
  if (!a.allowed) return a.retryAfterSeconds;
  await a.settle(right);
  return 0;
}

describe('LoginLimiter', () => {
  it('refuses an email (whatever its case) after 10 failures, the right password too; a success clears its count', async () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 9; i++) expect(await attempt(l, 'Ana@Campus.edu ', `10.0.0.${i}`)).toBe(0);
    expect(await attempt(l, 'ana@campus.edu', '10.0.1.1', true)).toBe(0);
    for (let i = 0; i < 10; i++) expect(await attempt(l, 'ana@campus.edu', `10.0.2.${i}`)).toBe(0);
    const wait = await attempt(l, ' ANA@campus.edu', '10.9.9.9', true);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(await attempt(l, 'other@campus.edu', '10.9.9.9')).toBe(0);
  });

  it('refuses an IP after 50 failures over any emails; a success gives back only its own point', async () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 49; i++) expect(await attempt(l, `user${i}@campus.edu`, '203.0.113.7')).toBe(0);
    expect(await attempt(l, 'me@campus.edu', '203.0.113.7', true)).toBe(0);
    expect(await attempt(l, 'user49@campus.edu', '203.0.113.7')).toBe(0);
    expect(await attempt(l, 'someone-else@campus.edu', '203.0.113.7', true)).toBeGreaterThan(0);
    expect(await attempt(l, 'someone-else@campus.edu', '203.0.113.8')).toBe(0);
  });

  it('counts a parallel burst before any password is checked: only 10 of 30 get a check', async () => {
    const l = new LoginLimiter();
    const burst = await Promise.all(Array.from({ length: 30 }, () => l.begin('victim@campus.edu', '198.51.100.4')));
    expect(burst.filter((a) => a.allowed)).toHaveLength(10);
  });

  it('gives the points back when the check itself failed, and a refused attempt takes none from the other count', async () => {
    const l = new LoginLimiter({ maxFailures: 2, maxFailuresPerIp: 3 });
    for (let i = 0; i < 5; i++) {
      const a = await l.begin('ana@campus.edu', '10.0.0.1');
      expect(a.allowed).toBe(true);
      if (a.allowed) await a.settle(null);
    }
    expect(await attempt(l, 'ana@campus.edu', '10.0.0.1')).toBe(0);
    expect(await attempt(l, 'ana@campus.edu', '10.0.0.1')).toBe(0);
    // ana is over her limit: these take no point from 10.0.0.1, which has 1 of 3 left.
    for (let i = 0; i < 5; i++) expect(await attempt(l, 'ana@campus.edu', '10.0.0.1')).toBeGreaterThan(0);
    expect(await attempt(l, 'bob@campus.edu', '10.0.0.1')).toBe(0);
    expect(await attempt(l, 'carl@campus.edu', '10.0.0.1')).toBeGreaterThan(0);
  });
});
