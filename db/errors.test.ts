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
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'That student does not exist (any more).' });
    expect((err as AppError).fieldsIn('id')).toEqual({ studentId: 'Mahasiswa itu tidak ada (lagi).' });
    expect(JSON.stringify(err)).not.toContain('_fk');
  });

  it('maps duplicates to CONFLICT with the field and a sentence naming the value, never the key', () => {
    const err = mapDbError(
      driver('ER_DUP_ENTRY', 1062, "Duplicate entry 'S1001' for key 'students_student_number_unique'"),
    ) as AppError;
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'A student with number S1001 already exists.',
      details: { field: 'studentNumber', value: 'S1001' },
    });
    expect(err.fieldsIn('en')).toEqual({ studentNumber: 'A student with number S1001 already exists.' });
    expect(err.messageIn('id')).toBe('Mahasiswa dengan NIM S1001 sudah ada.');
    // MySQL 8 prefixes the key with its table.
    const mysql = mapDbError(
      driver('ER_DUP_ENTRY', 1062, "Duplicate entry 'CS101' for key 'courses.courses_code_unique'"),
    ) as AppError;
    expect(mysql.fieldsIn('en')).toEqual({ code: 'A course with code CS101 already exists.' });
    const other = mapDbError(driver('ER_DUP_ENTRY', 1062, "Duplicate entry 'x' for key 'some_new_unique'")) as AppError;
    expect(other.message).toBe('This value is already in use.');
    expect(other.message + JSON.stringify(other.details ?? {})).not.toContain('some_new_unique');
  });

  it('names the column of a too-long value as a field', () => {
    const err = mapDbError(
      driver('ER_DATA_TOO_LONG', 1406, "Data too long for column 'course_name' at row 1"),
    ) as AppError;
    expect(err).toMatchObject({ code: 'VALIDATION', message: 'This is too long.' });
    expect(err.fieldsIn('en')).toEqual({ courseName: 'This is too long.' });
  });

  it('leaves other errors alone', () => {
    const original = new Error('boom');
    expect(mapDbError(original)).toBe(original);
  });
});
