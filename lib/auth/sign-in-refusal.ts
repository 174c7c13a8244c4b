/**
 * How `authorize()` tells the sign-in route that the brute-force limit refused an attempt: Auth.js
 * turns any error thrown there into a 401, so the route runs each POST in this context and answers
 * 429 with Retry-After when `authorize()` recorded a refusal.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ retryAfterSeconds?: number }>();

export async function runSignIn<T>(fn: () => Promise<T>): Promise<{ result: T; retryAfterSeconds?: number }> {
  const state: { retryAfterSeconds?: number } = {};
  const result = await context.run(state, fn);
  return { result, retryAfterSeconds: state.retryAfterSeconds };
}

export function recordRefusal(retryAfterSeconds: number): void {
  const state = context.getStore();
  if (state) state.retryAfterSeconds = Math.max(state.retryAfterSeconds ?? 0, retryAfterSeconds);
}
