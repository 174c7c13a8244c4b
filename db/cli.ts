import { isUnreachableError } from './errors';

/** The message a new user sees when the database is not reachable: what to do, no stack trace. */
export function unreachableMessage(url: string, err: unknown): string {
  const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const reason = err instanceof Error ? err.message : String(err);
  return [
    '',
    `Cannot reach the database at ${safeUrl}`,
    `  (${reason || 'connection failed'})`,
    '',
    'Start MySQL 8 or MariaDB >= 10.6 and try again, for example:',
    '  - Debian/Ubuntu:  sudo apt-get install -y mariadb-server && sudo service mariadb start',
    '  - macOS:          brew install mariadb && brew services start mariadb',
    '  - Docker:         docker compose up -d mysql   (then DATABASE_URL=mysql://root:attendance@127.0.0.1:3306/attendance)',
    '',
    'Or point DATABASE_URL (or the legacy DB_HOST/DB_PORT/DB_USER/DB_PASS/DB_NAME) at your server.',
    '',
  ].join('\n');
}

/**
 * Runs a database script's main function: a missing server or a bad setting prints a clear message
 * and exits non-zero; other errors keep their stack (they are bugs).
 */
export async function runScript(name: string, main: () => Promise<void>, url: () => string): Promise<void> {
  try {
    await main();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e?.name === 'EnvError') {
      console.error(`\n${name}: ${e.message}\n`);
    } else if (isUnreachableError(err)) {
      let target = '(DATABASE_URL)';
      try {
        target = url();
      } catch {
        // keep the placeholder
      }
      console.error(`${name}:${unreachableMessage(target, err)}`);
    } else {
      console.error(`${name} failed:`, err);
    }
    process.exitCode = 1;
  }
}
