/**
 * Brute-force limit on sign-in, applied inside Auth.js's `authorize()` on the credentials it parsed
 * itself, so every path and body shape that reaches a password check goes through it. Each attempt
 * takes a point per normalised email (10 in 15 minutes) and per client IP (50 in 15 minutes: a campus
 * behind one NAT address shares it) *before* the password is checked, so a parallel burst cannot slip
 * past the count; over either, the attempt is refused unchecked — the right password too — until the
 * window has passed. A successful sign-in gives its points back and clears the email's count. Counts
 * live in the web process's memory (one web process per deployment here; several replicas would each
 * count on their own).
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimiterMemory } from 'rate-limiter-flexible';

export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_MAX_FAILURES_PER_IP = 50;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An attempt that may check its password; report how it went with `settle`. */
export type LoginAttempt =
  /** `settle(true)` signed in, `settle(false)` wrong password, `settle(null)` the check itself failed (points go back). */
  { allowed: true; settle(signedIn: boolean | null): Promise<void> } | { allowed: false; retryAfterSeconds: number };

export class LoginLimiter {
  private readonly byEmail: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(opts: { maxFailures?: number; maxFailuresPerIp?: number; windowSeconds?: number } = {}) {
    const duration = opts.windowSeconds ?? LOGIN_WINDOW_SECONDS;
    this.byEmail = new RateLimiterMemory({
      keyPrefix: 'login-email',
      points: opts.maxFailures ?? LOGIN_MAX_FAILURES,
      duration,
    });
    this.byIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: opts.maxFailuresPerIp ?? LOGIN_MAX_FAILURES_PER_IP,
      duration,
    });
  }

  /** Takes this attempt's points (email and IP) before the password is checked. */
  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const key = normaliseEmail(email);
    const [e, i] = await Promise.allSettled([this.byEmail.consume(key), this.byIp.consume(ip)]);
    const refused = [e, i].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (refused.length > 0) {
      for (const reason of refused) if (!(reason instanceof RateLimiterRes)) throw reason;
      // A refused attempt checks no password: the point it took from a count that was not over goes back.
      if (e.status === 'fulfilled') await this.byEmail.reward(key, 1);
      if (i.status === 'fulfilled') await this.byIp.reward(ip, 1);
      const waitMs = Math.max(...(refused as RateLimiterRes[]).map((r) => r.msBeforeNext));
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    return {
      allowed: true,
      settle: async (signedIn) => {
        if (signedIn === false) return;
        await Promise.all([signedIn ? this.byEmail.delete(key) : this.byEmail.reward(key, 1), this.byIp.reward(ip, 1)]);
      },
    };
  }
}

/** The web process's limiter. */
export const loginLimiter = new LoginLimiter();
