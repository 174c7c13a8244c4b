/**
 * How `authorize()` tells the sign-in route that the brute-force limit refused an attempt: Auth.js
 * turns any error thrown there into a 401, so the route runs each POST in this context and answers
 * 429 with Retry-After when `authorize()` recorded a refusal. The context also carries the request's
 * headers, for callbacks that Auth.js gives no request (the OIDC sign-in's audit takes the client IP).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ retryAfterSeconds?: number; headers?: Headers }>();

export async function runSignIn<T>(
  fn: () => Promise<T>,
  headers?: Headers,
): Promise<{ result: T; retryAfterSeconds?: number }> {
  const state: { retryAfterSeconds?: number; headers?: Headers } = { headers };
  const result = await context.run(state, fn);
  return { result, retryAfterSeconds: state.retryAfterSeconds };
}

/** The headers of the sign-in request being handled (empty outside one). */
export function signInHeaders(): Headers {
  return context.getStore()?.headers ?? new Headers();
}

export function recordRefusal(retryAfterSeconds: number): void {
  const state = context.getStore();
  if (state) state.retryAfterSeconds = Math.max(state.retryAfterSeconds ?? 0, retryAfterSeconds);
}
