import { describe, expect, it } from 'vitest';
import { AppError, toHttpError } from './errors';

describe('AppError', () => {
  it.each([
    ['VALIDATION', 400],
    ['UNAUTHORIZED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['RATE_LIMITED', 429],
  ] as const)('%s maps to %i', (code, status) => {
    const mapped = toHttpError(new AppError(code, 'msg', { details: { a: 1 } }));
    expect(mapped).toEqual({ status, body: { error: { code, message: 'msg', details: { a: 1 } } } });
  });

  it('hides unknown errors behind a 500', () => {
    const mapped = toHttpError(new Error('secret internals'));
    expect(mapped.status).toBe(500);
    expect(JSON.stringify(mapped.body)).not.toContain('secret');
  });
});

describe('localized AppError', () => {
  it("renders the message and each field in the reader's language, English in err.message", async () => {
    const { localized } = await import('./errors');
    const text = localized('error.duplicate.courseCode', { value: 'CS101' });
    const err = new AppError('CONFLICT', text, { fields: { code: text } });
    expect(err.message).toBe('A course with code CS101 already exists.');
    expect(toHttpError(err, 'id').body).toEqual({
      error: {
        code: 'CONFLICT',
        message: 'Mata kuliah dengan kode CS101 sudah ada.',
        fields: { code: 'Mata kuliah dengan kode CS101 sudah ada.' },
      },
    });
  });
});
