import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5_000 };

  it('doubles the ceiling each attempt: random 0 gives half of it, random→1 all of it', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { ...options, random: () => 0 }))).toEqual([
      50, 100, 200, 400,
    ]);
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { ...options, random: () => 0.999999 }))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('caps at maxMs, also for huge attempt numbers', () => {
    for (const attempt of [6, 10, 100, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(attempt, { ...options, random: () => 0.999999 })).toBe(5_000);
      expect(backoffDelay(attempt, { ...options, random: () => 0 })).toBe(2_500);
    }
  });

  it('stays within [ceiling/2, ceiling] for any jitter', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('keeps the given share fixed: jitter 0.25 waits in [¾·ceiling, ceiling], jitter 0 exactly the ceiling', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      expect(backoffDelay(attempt, { ...options, jitter: 0.25, random: () => 0 })).toBe(Math.round(ceiling * 0.75));
      expect(backoffDelay(attempt, { ...options, jitter: 0.25, random: () => 0.999999 })).toBe(ceiling);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, { ...options, jitter: 0.25 });
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.75));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
      expect(backoffDelay(attempt, { ...options, jitter: 0 })).toBe(ceiling);
    }
  });

  it('raises the ceiling to atLeastMs (a Retry-After), still capped at maxMs', () => {
    const exact = { ...options, jitter: 0 };
    expect(backoffDelay(0, { ...exact, atLeastMs: 1_000 })).toBe(1_000);
    expect(backoffDelay(5, { ...exact, atLeastMs: 1_000 })).toBe(3_200);
    expect(backoffDelay(0, { ...exact, atLeastMs: 60_000 })).toBe(5_000);
  });

  it('treats negative or non-finite attempts as the first', () => {
    expect(backoffDelay(-3, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelay(Number.NaN, { ...options, random: () => 0 })).toBe(50);
  });
});
