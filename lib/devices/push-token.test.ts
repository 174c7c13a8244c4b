import { describe, expect, it } from 'vitest';
import { bearerToken, generatePushToken, hashPushToken, PUSH_TOKEN_PREFIX_CHARS, verifyPushToken } from './push-token';

describe('push tokens', () => {
  it('are 32 random bytes, base64url, with a display prefix and a sha256 hash', () => {
    const a = generatePushToken();
    const b = generatePushToken();
    expect(a.token).toMatch(/^cam_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.prefix).toBe(a.token.slice(0, PUSH_TOKEN_PREFIX_CHARS));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(hashPushToken(a.token));
    expect(a.hash).not.toContain(a.token.slice(4));
  });

  it('verify only the right token against the stored hash', () => {
    const { token, hash } = generatePushToken();
    expect(verifyPushToken(token, hash)).toBe(true);
    expect(verifyPushToken(`${token}x`, hash)).toBe(false);
    expect(verifyPushToken(generatePushToken().token, hash)).toBe(false);
    expect(verifyPushToken(token, null)).toBe(false);
    expect(verifyPushToken(token, 'not-a-hash')).toBe(false);
  });

  it.each([
    ['Bearer abc.DEF-123_', 'abc.DEF-123_'],
    ['bearer   tok', 'tok'],
    [null, null],
    ['', null],
    ['Basic dXNlcjpwdw==', null],
    ['Bearer ', null],
    ['Bearer two words', null],
  ])('bearerToken(%j) = %j', (header, want) => {
    expect(bearerToken(header)).toBe(want);
  });
});
