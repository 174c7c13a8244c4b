import { AppError } from '@/lib/errors';

/** Driver error fields we look at (mysql2 sets code/errno; Drizzle wraps it in `cause`). */
interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  cause?: unknown;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

const TRANSIENT_ERRNOS = new Set([
  1205, // ER_LOCK_WAIT_TIMEOUT
  1213, // ER_LOCK_DEADLOCK
  1927, // ER_CONNECTION_KILLED (MariaDB)
  1053, // ER_SERVER_SHUTDOWN
  1040, // ER_CON_COUNT_ERROR (too many connections)
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
]);

/** Constraint and data errors: retrying cannot help, so they are never retried. */
const PERMANENT_ERRNOS = new Set([1062, 1451, 1452, 1048, 1406, 1264, 1265, 1366, 1364, 3819, 4025]);

const TRANSIENT_MESSAGES = [/connection lost/i, /connection was killed/i, /closed state/i, /server has gone away/i];

/** The innermost driver error: Drizzle throws DrizzleQueryError with the mysql2 error as `cause`. */
export function driverError(err: unknown): DriverError | undefined {
  let current: unknown = err;
  let found: DriverError | undefined;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const e = current as DriverError;
    if (e.code !== undefined || e.errno !== undefined) found = e;
    current = e.cause;
  }
  return found;
}

export function isConstraintError(err: unknown): boolean {
  const d = driverError(err);
  return d?.errno !== undefined && PERMANENT_ERRNOS.has(d.errno);
}

/** True for network drops, killed connections, lock timeouts and deadlocks. */
export function isTransientDbError(err: unknown): boolean {
  const d = driverError(err);
  if (!d) {
    const message = err instanceof Error ? err.message : '';
    return TRANSIENT_MESSAGES.some((re) => re.test(message));
  }
  if (d.errno !== undefined && PERMANENT_ERRNOS.has(d.errno)) return false;
  if (d.code && TRANSIENT_CODES.has(d.code)) return true;
  if (d.errno !== undefined && TRANSIENT_ERRNOS.has(d.errno)) return true;
  return TRANSIENT_MESSAGES.some((re) => re.test(d.message ?? ''));
}

/** True when the server is not reachable at all (used for the friendly setup message). */
export function isUnreachableError(err: unknown): boolean {
  const d = driverError(err);
  const code = d?.code ?? '';
  return ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ER_ACCESS_DENIED_ERROR'].includes(code);
}

const FK_RE = /`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(`([^`]+)`\) REFERENCES `([^`]+)`/;
const DUP_RE = /Duplicate entry '(.*)' for key '([^']+)'/;

/**
 * Turns constraint errors into AppErrors with a message a person can act on; returns `err` unchanged
 * for anything else.
 */
export function mapDbError(err: unknown): unknown {
  const d = driverError(err);
  if (!d || d.errno === undefined) return err;
  const message = d.message ?? '';
  switch (d.errno) {
    case 1452: {
      const m = FK_RE.exec(message);
      const [table, constraint, column, references] = m ? [m[1], m[2], m[3], m[4]] : [];
      return new AppError(
        'NOT_FOUND',
        m ? `${table}.${column} refers to a ${references} row that does not exist` : 'Referenced row does not exist',
        { details: { table, column, references, constraint }, cause: err },
      );
    }
    case 1451: {
      const m = FK_RE.exec(message);
      return new AppError(
        'CONFLICT',
        m ? `Still referenced by ${m[1]}.${m[3]}; remove those rows first` : 'Row is still referenced by other rows',
        { details: m ? { table: m[1], column: m[3], constraint: m[2] } : undefined, cause: err },
      );
    }
    case 1062: {
      const m = DUP_RE.exec(message);
      return new AppError('CONFLICT', m ? `Duplicate value for ${m[2]}` : 'Duplicate value', {
        details: m ? { key: m[2], value: m[1] } : undefined,
        cause: err,
      });
    }
    case 1048:
    case 1406:
    case 1264:
    case 1265:
    case 1366:
    case 1364:
      return new AppError('VALIDATION', message, { cause: err });
    default:
      return err;
  }
}
