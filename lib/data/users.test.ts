import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { createUser, generatePassword, hashPassword, nameFromEmail } from './users';

describe('passwords', () => {
  it('refuses a password over 72 bytes (bcrypt would ignore the rest) before touching the database', async () => {
    await expect(hashPassword('x'.repeat(73))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/at most 72 bytes/),
    });
    // 24 three-byte characters are 72 bytes: allowed; 25 are not.
    await expect(hashPassword('€'.repeat(25))).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await bcrypt.compare('€'.repeat(24), await hashPassword('€'.repeat(24)))).toBe(true);
    await expect(
      createUser({ email: 'long@campus.edu', name: 'Long', role: 'lecturer', password: 'p'.repeat(100) }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('password rules', () => {
  it('refuses an empty or short password', async () => {
    await expect(hashPassword('')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/empty/),
    });
    await expect(hashPassword('short7!')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/at least 8 characters/),
    });
    expect(await bcrypt.compare('eight888', await hashPassword('eight888'))).toBe(true);
  });

  it('generates 20-character URL-safe passwords that differ every time and pass the rules', async () => {
    const a = generatePassword(),
      b = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(a).not.toBe(b);
    await expect(hashPassword(a)).resolves.toMatch(/^\$2/);
  });

  it('names a user after the part of the email before @', () => {
    expect(nameFromEmail(' Dewi.Lestari@Campus.ac.id ')).toBe('dewi.lestari');
  });
});
