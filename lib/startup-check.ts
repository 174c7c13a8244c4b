import { EnvError, assertAuthSecret, loadEnv } from './env';

/** What the web server should warn about at start (it still starts). */
export function startupWarnings(source: Record<string, string | undefined>): string[] {
  const url = source.NEXTAUTH_URL ?? source.AUTH_URL;
  if (
    source.NODE_ENV === 'production' &&
    source.NEXT_PHASE !== 'phase-production-build' &&
    url?.startsWith('http://') &&
    !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url)
  ) {
    return [
      `NEXTAUTH_URL is ${url}: sign-in cookies and passwords travel unencrypted; serve the dashboard over https and set NEXTAUTH_URL=https://…`,
    ];
  }
  return [];
}

/** Why the web server must not start with these settings (one line per problem), or null. */
export function startupProblem(source: Record<string, string | undefined>): string | null {
  try {
    assertAuthSecret(loadEnv(source), source);
    return null;
  } catch (err) {
    if (err instanceof EnvError) return `Refusing to start: ${err.issues.join('; ')}`;
    throw err;
  }
}

/**
 * Why the worker must not start with these settings, or null. In production without AUTH_SECRET (and
 * without INTERNAL_TOKEN) its internal token would be random, so the web app's calls would all get 401.
 */
export function workerStartupProblem(source: Record<string, string | undefined>): string | null {
  if (source.INTERNAL_TOKEN) return null;
  return startupProblem(source);
}
