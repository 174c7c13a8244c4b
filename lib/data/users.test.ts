import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { createUser, hashPassword } from './users';

describe('passwords', () => {
  it('refuses a password over 72 bytes (bcrypt would ignore the rest) before touching the database', async () => {
    await expect(hashPassword('x'.repeat(73))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/at most 72 bytes/) });
    // 24 three-byte characters are 72 bytes: allowed; 25 are not.
    await expect(hashPassword('€'.repeat(25))).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await bcrypt.compare('€'.repeat(24), await hashPassword('€'.repeat(24)))).toBe(true);
    await expect(createUser({ email: 'long@campus.edu', name: 'Long', role: 'lecturer', password: 'p'.repeat(100) })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
