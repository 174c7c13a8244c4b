import { driverError, isUnreachableError } from '@/db/errors';
import { AppError } from '@/lib/errors';
import { UsageError } from './args';

export type CliFailure = { code: string; message: string; exitCode: number };

const safeUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/**
 * The one-line message for an expected failure (bad arguments, unknown course, database down or not
 * migrated, bad settings); null for anything else, which is a bug and keeps its stack trace.
 */
export function describeCliError(err: unknown, databaseUrl: () => string): CliFailure | null {
  if (err instanceof UsageError) return { code: 'USAGE', message: `${err.message} (see --help)`, exitCode: 2 };
  if (err instanceof AppError) return { code: err.code, message: err.message, exitCode: 1 };
  if ((err as Error)?.name === 'EnvError') {
    const issues = (err as { issues?: string[] }).issues ?? [];
    return { code: 'CONFIG', message: `invalid setting: ${issues.join('; ') || (err as Error).message}`, exitCode: 1 };
  }
  let url = '(DATABASE_URL)';
  try {
    url = safeUrl(databaseUrl());
  } catch {
    // keep the placeholder
  }
  if (isUnreachableError(err)) {
    const reason = driverError(err)?.code ?? 'connection failed';
    return {
      code: 'DB_UNREACHABLE',
      message: `cannot reach the database at ${url} (${reason}); start MariaDB/MySQL or set DATABASE_URL`,
      exitCode: 1,
    };
  }
  const d = driverError(err);
  if (d?.errno === 1049)
    return { code: 'DB_MISSING', message: `the database in ${url} does not exist; run: npm run setup`, exitCode: 1 };
  if (d?.errno === 1146)
    return {
      code: 'DB_NOT_MIGRATED',
      message: `the database at ${url} is missing tables; run: npm run db:migrate`,
      exitCode: 1,
    };
  return null;
}
