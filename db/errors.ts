import { AppError, localized } from '@/lib/errors';
import type { MessageKey } from '@/lib/i18n/dictionary';

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
  return ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ER_ACCESS_DENIED_ERROR'].includes(
    code,
  );
}

const FK_RE = /`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(`([^`]+)`\) REFERENCES `([^`]+)`/;
const DUP_RE = /Duplicate entry '(.*)' for key '([^']+)'/;
const COLUMN_RE = /column '([^']+)'/i;

/** Unique keys → the request field they belong to and the sentence a person reads. */
const UNIQUE_KEYS: Record<string, { field?: string; key: MessageKey; showValue?: boolean }> = {
  students_student_number_unique: { field: 'studentNumber', key: 'error.duplicate.studentNumber', showValue: true },
  courses_code_unique: { field: 'code', key: 'error.duplicate.courseCode', showValue: true },
  cameras_name_unique: { field: 'name', key: 'error.duplicate.cameraName', showValue: true },
  users_email_unique: { field: 'email', key: 'error.duplicate.userEmail', showValue: true },
  class_sessions_course_start_unique: { field: 'startsAt', key: 'error.duplicate.sessionStart' },
  course_enrollments_student_course_unique: { key: 'error.duplicate.enrollment' },
  attendances_session_student_unique: { key: 'error.duplicate.attendance' },
  face_photos_student_sha_unique: { key: 'error.duplicate.photo' },
};

/** Referenced tables → the sentence for "that row does not exist". */
const REFERENCED: Record<string, MessageKey> = {
  students: 'error.ref.student',
  courses: 'error.ref.course',
  cameras: 'error.ref.camera',
  users: 'error.ref.user',
  class_sessions: 'error.ref.session',
};

/** snake_case column → the camelCase request field. */
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Turns constraint errors into AppErrors with a sentence a person can act on (and, when the column is
 * known, the request field it belongs to); returns `err` unchanged for anything else. No constraint
 * or table names reach the message.
 */
export function mapDbError(err: unknown): unknown {
  const d = driverError(err);
  if (!d || d.errno === undefined) return err;
  const message = d.message ?? '';
  switch (d.errno) {
    case 1452: {
      const m = FK_RE.exec(message);
      const text = localized((m && REFERENCED[m[4]!]) || 'error.ref.other');
      return new AppError('NOT_FOUND', text, { fields: m ? { [fieldOf(m[3]!)]: text } : undefined, cause: err });
    }
    case 1451:
      return new AppError('CONFLICT', localized('error.stillUsed'), { cause: err });
    case 1062: {
      const m = DUP_RE.exec(message);
      // MySQL 8 names the key `table.key`, MariaDB just `key`.
      const known = m ? UNIQUE_KEYS[m[2]!.split('.').pop()!] : undefined;
      const text = known
        ? localized(known.key, known.showValue ? { value: m![1]! } : undefined)
        : localized('error.duplicate');
      return new AppError('CONFLICT', text, {
        fields: known?.field ? { [known.field]: text } : undefined,
        details: known?.field ? { field: known.field, ...(known.showValue ? { value: m![1] } : {}) } : undefined,
        cause: err,
      });
    }
    case 1048:
    case 1364:
    case 1406: {
      const column = COLUMN_RE.exec(message)?.[1];
      const text = localized(d.errno === 1406 ? 'field.tooLongDb' : 'field.required');
      return new AppError('VALIDATION', column ? text : localized('error.invalidDb'), {
        fields: column ? { [fieldOf(column)]: text } : undefined,
        cause: err,
      });
    }
    case 1264:
    case 1265:
    case 1366: {
      const column = COLUMN_RE.exec(message)?.[1];
      const text = localized('field.invalid');
      return new AppError('VALIDATION', column ? text : localized('error.invalidDb'), {
        fields: column ? { [fieldOf(column)]: text } : undefined,
        cause: err,
      });
    }
    default:
      return err;
  }
}
