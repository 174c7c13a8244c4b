import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { isTransientDbError, mapDbError } from './errors';

const driver = (code: string, errno?: number, message = '') => Object.assign(new Error(message), { code, errno });
// Drizzle wraps driver errors: "Failed query: ..." with the mysql2 error as cause.
const wrapped = (cause: Error) => Object.assign(new Error('Failed query: select 1'), { cause });

describe('isTransientDbError', () => {
  it.each([
    ['ECONNRESET', undefined],
    ['PROTOCOL_CONNECTION_LOST', undefined],
    ['ETIMEDOUT', undefined],
    ['ECONNREFUSED', undefined],
    ['ER_LOCK_WAIT_TIMEOUT', 1205],
    ['ER_LOCK_DEADLOCK', 1213],
    ['ER_CONNECTION_KILLED', 1927],
  ])('retries %s', (code, errno) => {
    expect(isTransientDbError(driver(code, errno))).toBe(true);
    expect(isTransientDbError(wrapped(driver(code, errno)))).toBe(true);
  });

  it('retries on "Connection lost" messages without a code', () => {
    expect(isTransientDbError(new Error('Connection lost: The server closed the connection.'))).toBe(true);
  });

  it.each([
    ['ER_DUP_ENTRY', 1062],
    ['ER_ROW_IS_REFERENCED_2', 1451],
    ['ER_NO_REFERENCED_ROW_2', 1452],
    ['ER_BAD_NULL_ERROR', 1048],
    ['ER_PARSE_ERROR', 1064],
  ])('never retries %s', (code, errno) => {
    expect(isTransientDbError(wrapped(driver(code, errno)))).toBe(false);
  });

  it('does not retry plain bugs', () => {
    expect(isTransientDbError(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('mapDbError', () => {
  it('explains a missing referenced row', () => {
    const msg =
      'Cannot add or update a child row: a foreign key constraint fails (`att`.`attendances`, CONSTRAINT `attendances_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students` (`student_id`) ON DELETE CASCADE)';
    const err = mapDbError(wrapped(driver('ER_NO_REFERENCED_ROW_2', 1452, msg)));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'NOT_FOUND',
      message: 'attendances.student_id refers to a students row that does not exist',
      details: { table: 'attendances', column: 'student_id', references: 'students' },
    });
  });

  it('maps duplicates to CONFLICT', () => {
    const err = mapDbError(driver('ER_DUP_ENTRY', 1062, "Duplicate entry 'a@b' for key 'users_email_unique'"));
    expect(err).toMatchObject({ code: 'CONFLICT', details: { key: 'users_email_unique', value: 'a@b' } });
  });

  it('leaves other errors alone', () => {
    const original = new Error('boom');
    expect(mapDbError(original)).toBe(original);
  });
});
