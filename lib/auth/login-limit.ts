/**
 * Brute-force limit on sign-in: 10 failed attempts within 15 minutes per normalised email, and
 * separately per client IP, then HTTP 429 with Retry-After until the window has passed. A successful
 * sign-in resets both counts. Counts live in the web process's memory (one web process per
 * deployment here; several replicas would each count on their own).
 */
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimiterMemory } from 'rate-limiter-flexible';

export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class LoginLimiter {
  private readonly byEmail: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(opts: { maxFailures?: number; windowSeconds?: number } = {}) {
    const points = opts.maxFailures ?? LOGIN_MAX_FAILURES,
      duration = opts.windowSeconds ?? LOGIN_WINDOW_SECONDS;
    this.byEmail = new RateLimiterMemory({ keyPrefix: 'login-email', points, duration });
    this.byIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points, duration });
  }

  /** Seconds until this email / IP may try again, or 0 when it may now. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const [e, i] = await Promise.all([this.byEmail.get(normaliseEmail(email)), this.byIp.get(ip)]);
    const wait = (r: RateLimiterRes | null, points: number) =>
      r && r.consumedPoints >= points ? Math.ceil(r.msBeforeNext / 1000) : 0;
    return Math.max(wait(e, this.byEmail.points), wait(i, this.byIp.points));
  }

  async failed(email: string, ip: string): Promise<void> {
    // consume() rejects once the points are used up; the count is what matters here.
    await Promise.all([
      this.byEmail.consume(normaliseEmail(email)).catch(() => undefined),
      this.byIp.consume(ip).catch(() => undefined),
    ]);
  }

  async succeeded(email: string, ip: string): Promise<void> {
    await Promise.all([this.byEmail.delete(normaliseEmail(email)), this.byIp.delete(ip)]);
  }
}

/** The web process's limiter. */
export const loginLimiter = new LoginLimiter();

/** Client address as the proxy in front of the app reports it (first X-Forwarded-For hop), else X-Real-IP. */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || headers.get('x-real-ip')?.trim() || 'unknown';
}
