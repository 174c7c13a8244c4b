import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspNonce, securityHeaderRules } from './security-headers';

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

  it('allows scripts by nonce only (never unsafe-inline), and no script at all without a nonce', () => {
    const nonce = cspNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(cspNonce()).not.toBe(nonce);
    const scriptSrc = (policy: string) => policy.split('; ').find((d) => d.startsWith('script-src '));
    expect(scriptSrc(contentSecurityPolicy(false, nonce))).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(scriptSrc(contentSecurityPolicy(false))).toBe("script-src 'self'");
    const [all] = securityHeaderRules(false);
    expect(scriptSrc(all!.headers.find((h) => h.key === 'Content-Security-Policy')!.value)).toBe("script-src 'self'");
  });
});
