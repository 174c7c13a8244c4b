import { describe, expect, it } from 'vitest';
import { errorText } from './api';

describe('errorText', () => {
  it('says a field mistake once, named by its label', () => {
    expect(
      errorText(
        { message: 'Check these fields: name.', fieldErrors: { name: 'Fill in this field.' } },
        { name: 'Name' },
      ),
    ).toBe('Name: Fill in this field.');
  });

  it('does not repeat a sentence that is both the message and the field’s', () => {
    const m = 'A camera named Hall already exists.';
    expect(errorText({ message: m, fieldErrors: { name: m } })).toBe(m);
  });

  it('is the message when no field carries one', () => {
    expect(errorText({ message: 'Nothing was saved.', fieldErrors: {} })).toBe('Nothing was saved.');
  });
});
