export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /**
   * The random share of the delay: 0.5 (default, "equal jitter") waits in [ceiling/2, ceiling),
   * 0.25 in [¾·ceiling, ceiling), 0 exactly the ceiling.
   */
  jitter?: number;
  /** A floor under the exponential term, still capped by maxMs (e.g. a server's Retry-After). */
  atLeastMs?: number;
  /** Returns a number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Delay in whole milliseconds before retry `attempt` (0 = first retry): capped exponential with
 * jitter, ceiling = min(maxMs, max(atLeastMs, baseMs·2^attempt)). The fixed part guarantees a wait
 * (no hot loop); the random part spreads clients that failed together.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs, jitter = 0.5, atLeastMs = 0, random = Math.random }: BackoffOptions,
): number {
  const safeAttempt = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(maxMs, Math.max(atLeastMs, baseMs * 2 ** Math.min(safeAttempt, 60)));
  const fixed = ceiling * (1 - jitter);
  return Math.round(fixed + random() * (ceiling - fixed));
}
