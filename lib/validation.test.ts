import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createSessionBody,
  createStudentBody,
  createCameraBody,
  bulkEnrollBody,
  reportQuery,
} from '@/lib/dashboard/schemas';
import { toHttpError } from '@/lib/errors';
import { validationError } from './validation';

function fieldsFor(schema: z.ZodType, input: unknown, lang: 'en' | 'id' = 'en') {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a validation failure');
  return toHttpError(validationError(parsed.error.issues, input), lang).body.error;
}

const ZOD_WORDING = /Invalid input|expected (string|date|number)|received|Too small|Too big|>=|Invalid option/;

describe('validationError', () => {
  it('says what to do per field, never in zod wording', () => {
    const err = fieldsFor(createStudentBody, { email: 'not-an-email' });
    expect(err).toMatchObject({ code: 'VALIDATION', message: 'Check these fields: name, email.' });
    expect(err.fields).toEqual({
      name: 'Fill in this field.',
      email: 'Enter an email address like name@university.edu.',
    });
    expect(JSON.stringify(err)).not.toMatch(ZOD_WORDING);
  });

  it('writes the sentences in Indonesian for an Indonesian reader', () => {
    const err = fieldsFor(createStudentBody, { name: '  ' }, 'id');
    expect(err.fields).toEqual({ name: 'Isian ini wajib diisi.' });
    expect(err.message).toBe('Periksa isian berikut: name.');
  });

  it('turns "expected date, received Date" into a sentence, and uses the schema\'s own sentence for a refinement', () => {
    const bad = fieldsFor(createSessionBody, { courseId: 'c1', startsAt: 'soon', endsAt: '' });
    expect(bad.fields).toMatchObject({ startsAt: 'Enter a valid date and time.', endsAt: 'Fill in this field.' });
    const backwards = fieldsFor(
      createSessionBody,
      { courseId: 'c1', startsAt: '2025-03-03T10:00:00Z', endsAt: '2025-03-03T09:00:00Z' },
      'id',
    );
    expect(backwards.fields).toEqual({ endsAt: 'Waktu selesai harus setelah waktu mulai.' });
  });

  it("keeps a schema author's own words (not zod's) as they are", async () => {
    const { createNotificationRouteBody } = await import('@/lib/notifications/routes');
    expect(
      fieldsFor(createNotificationRouteBody, { channel: 'telegram', target: 'mychat', secret: 'x' }).fields,
    ).toEqual({
      target: 'telegram target must be a numeric chat id',
      secret:
        'a Telegram bot token looks like 123456789:AAE…: digits, a colon, then at least 30 letters, digits, _ or -',
    });
  });

  it('covers lengths, choices, URLs, lists and query dates', () => {
    // The stream URL's http(s) rule lives in lib/devices/camera-setup.ts (it depends on the mode); see its test.
    expect(fieldsFor(createCameraBody, { name: 'x'.repeat(200), mode: 'sideways', streamUrl: 'cam-1' }).fields).toEqual(
      {
        name: 'Use at most 128 characters.',
        mode: 'Choose one of: pull, push.',
      },
    );
    expect(fieldsFor(bulkEnrollBody, { students: [] }).fields).toEqual({ students: 'Add at least 1.' });
    expect(fieldsFor(reportQuery, { from: '3/3/2025', to: '2025-03-04', threshold: 'lots' }).fields).toEqual({
      from: 'Enter a date as YYYY-MM-DD.',
      threshold: 'Enter a number.',
    });
  });
});
