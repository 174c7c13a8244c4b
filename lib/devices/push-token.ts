/**
 * Device push tokens: 32 random bytes (base64url) behind a `cam_` marker, shown once. Only a SHA-256
 * hash is stored — the token is high-entropy, so a slow password hash adds nothing and verification
 * must stay cheap at several frames per second. `token_prefix` keeps the first characters for display.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '@/lib/sha256';

/** Characters kept in clear: `cam_` + 8 of the random part. */
export const PUSH_TOKEN_PREFIX_CHARS = 12;

export function hashPushToken(token: string): string {
  return sha256Hex(token);
}

export function generatePushToken(): { token: string; prefix: string; hash: string } {
  const token = `cam_${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, PUSH_TOKEN_PREFIX_CHARS), hash: hashPushToken(token) };
}

/** Constant-time check of `token` against a stored hex hash; false for a missing hash. */
export function verifyPushToken(token: string, storedHash: string | null | undefined): boolean {
  if (!storedHash || !/^[0-9a-f]{64}$/i.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(hashPushToken(token), 'hex'), Buffer.from(storedHash, 'hex'));
}

/** The token from `Authorization: Bearer <token>`, or null when the header is missing or malformed. */
export function bearerToken(header: string | null): string | null {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,512})\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}
