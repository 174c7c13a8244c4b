import { EnvError, assertAuthSecret, loadEnv } from './env';

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
