/**
 * zod issues → one sentence per field in the reader's language. zod's own wording ("Invalid input:
 * expected string, received undefined") is for developers; a form shows "Fill in this field." next to
 * the input instead. A schema can give its own sentence by using a dictionary key as the message
 * (e.g. `{ message: 'field.endsAfterStart' }`, translated), or plain words of its own (kept as written).
 */
import { z } from 'zod';
import { AppError, localized, type ErrorText } from '@/lib/errors';
import { isMessageKey } from '@/lib/i18n/dictionary';

type Issue = z.core.$ZodIssue;

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const zodDefault = z.locales.en().localeError;

/** True when the schema's author wrote this issue's message (zod's own wording is never shown). */
function authored(issue: Issue, value: unknown): boolean {
  // A coerced value's type message depends on the coerced input, which is gone: never count it as authored.
  if (issue.code === 'invalid_type') return false;
  const d = zodDefault({ ...issue, input: value } as never);
  return issue.message !== (typeof d === 'string' ? d : d?.message);
}

/** The sentence for one issue; `input` is the raw value that was parsed (to tell "missing" from "wrong"). */
export function issueMessage(issue: Issue, input: unknown): ErrorText {
  if (isMessageKey(issue.message)) return localized(issue.message);
  const value = valueAt(input, issue.path);
  if (authored(issue, value)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (isBlank(value)) return localized('field.required');
      if (issue.expected === 'date') return localized('field.date');
      if (issue.expected === 'int') return localized('field.whole');
      if (issue.expected === 'number') return localized('field.number');
      return localized('field.invalid');
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 || isBlank(value) ? localized('field.required') : localized('field.tooShort', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return localized('field.tooFew', { min });
      return localized('field.tooSmall', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return localized('field.tooLong', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return localized('field.tooMany', { max });
      return localized('field.tooBig', { max });
    }
    case 'invalid_format':
      if (isBlank(value)) return localized('field.required');
      if (issue.format === 'email') return localized('field.email');
      if (issue.format === 'url') return localized('field.url');
      return localized('field.format');
    case 'invalid_value':
      if (isBlank(value)) return localized('field.required');
      return localized('field.choose', { values: issue.values.map(String).join(', ') });
    default:
      return localized('field.invalid');
  }
}

/** `{ field: sentence }` for the first issue of each top-level field ("" for issues about the whole body). */
export function fieldMessages(issues: readonly Issue[], input: unknown): Record<string, ErrorText> {
  const fields: Record<string, ErrorText> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    if (!fields[key]) fields[key] = issueMessage(issue, input);
  }
  return fields;
}

/** A 400 VALIDATION error naming the fields, with their sentences in `fields`. */
export function validationError(issues: readonly Issue[], input: unknown): AppError {
  const { '': whole, ...perField } = fieldMessages(issues, input);
  const names = Object.keys(perField);
  const message =
    whole ??
    (names.length > 0 ? localized('error.checkFields', { fields: names.join(', ') }) : localized('field.invalid'));
  return new AppError('VALIDATION', message, { fields: perField });
}
