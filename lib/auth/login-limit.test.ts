import { describe, expect, it } from 'vitest';
import { LoginLimiter, clientIp } from './login-limit';

describe('LoginLimiter', () => {
  it('blocks an email after 10 failures (whatever its case), and a success resets the count', async () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 9; i++) await l.failed('Ana@Campus.edu ', `10.0.0.${i}`);
    expect(await l.retryAfter('ana@campus.edu', '10.9.9.9')).toBe(0);
    await l.failed('ana@campus.edu', '10.0.0.99');
    const wait = await l.retryAfter('ANA@campus.edu', '10.9.9.9');
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    await l.succeeded('ana@campus.edu', '10.9.9.9');
    expect(await l.retryAfter('ana@campus.edu', '10.9.9.9')).toBe(0);
  });

  it('blocks an IP that tries 10 different emails', async () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 10; i++) await l.failed(`user${i}@campus.edu`, '203.0.113.7');
    expect(await l.retryAfter('someone-else@campus.edu', '203.0.113.7')).toBeGreaterThan(0);
    expect(await l.retryAfter('someone-else@campus.edu', '203.0.113.8')).toBe(0);
  });

  it('reads the client IP from the proxy headers', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '198.51.100.4, 10.0.0.1' }))).toBe('198.51.100.4');
    expect(clientIp(new Headers({ 'x-real-ip': '198.51.100.5' }))).toBe('198.51.100.5');
    expect(clientIp(new Headers())).toBe('unknown');
  });
});
