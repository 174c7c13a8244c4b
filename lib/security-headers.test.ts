import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaderRules } from './security-headers';

describe('security headers', () => {
  it('forbid framing and sniffing, keep scripts to our own origin, and add HSTS only behind https', () => {
    const [all, https] = securityHeaderRules(false);
    const get = (k: string) => all!.headers.find((h) => h.key === k)?.value;
    expect(get('X-Frame-Options')).toBe('DENY');
    expect(get('X-Content-Type-Options')).toBe('nosniff');
    expect(get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
    expect(get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(get('Content-Security-Policy')).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy(true)).toContain("'unsafe-eval'");
    expect(https).toMatchObject({
      has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
      headers: [{ key: 'Strict-Transport-Security' }],
    });
  });
});
