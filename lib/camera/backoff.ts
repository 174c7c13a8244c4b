export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Returns a number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: Readonly<Required<Omit<BackoffOptions, 'random'>>> = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0 = first retry): capped exponential with "equal
 * jitter", i.e. uniformly in [ceiling/2, ceiling) where ceiling = min(maxMs, baseMs·2^attempt).
 * Half the delay is guaranteed (no hot loop), the other half spreads cameras that dropped together.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs, random = Math.random }: BackoffOptions): number {
  const safeAttempt = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(safeAttempt, 60));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
