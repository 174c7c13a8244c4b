/** `users add|list|disable|enable|reset-password` as an operator runs them: the CLI as a child process against this file's database. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditFor } from '@/lib/data/audit';
import { findUserByEmail, verifyCredentials } from '@/lib/data/users';
import { runAttendanceCli, type CliRun } from '@/test/helpers/attendance-cli';
import { useThrowawayDatabase } from './throwaway-db';

const db = useThrowawayDatabase();
let tmp: string;
const cli = (args: string[], stdin?: string): Promise<CliRun> =>
  runAttendanceCli(args, { DATABASE_URL: db.url(), DATA_DIR: path.join(tmp, 'data') }, stdin);
const json = (r: CliRun) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const fails = (r: CliRun, code: number, message: RegExp) => {
  expect(r.code, r.stdout).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at .+[:(]/m); // one line, no stack
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'users-cli-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('users add', () => {
  it('generates a password (printed once) that signs in, and audits the creation', { timeout: 60_000 }, async () => {
    const out = json(
      await cli(['users', 'add', '--email', 'Admin@Campus.edu', '--role', 'admin', '--name', 'Head Admin', '--json']),
    );
    expect(out).toEqual({
      user_id: expect.any(String),
      email: 'admin@campus.edu',
      name: 'Head Admin',
      role: 'admin',
      status: 'active',
      disabled_at: null,
      last_login_at: null,
      created_at: expect.any(String),
      password: expect.stringMatching(/^[A-Za-z0-9_-]{20}$/),
    });
    expect(await verifyCredentials('admin@campus.edu', out.password)).toMatchObject({
      role: 'admin',
      name: 'Head Admin',
    });
    expect((await listAuditFor('users', out.user_id)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['user.create', null],
    ]);

    const text = await cli(['users', 'add', '--email', 'dosen@campus.edu', '--role', 'lecturer']);
    expect(text.code, text.stderr).toBe(0);
    const [, password] = text.stdout.match(/^Password \(shown once, store it now\): (\S+)$/m) ?? [];
    expect(await verifyCredentials('dosen@campus.edu', password!)).toMatchObject({ role: 'lecturer', name: 'dosen' });
  });

  it(
    '--password-stdin takes the first line of stdin (CRLF too) and does not print it',
    { timeout: 60_000 },
    async () => {
      const r = await cli(
        ['users', 'add', '--email', 'piped@campus.edu', '--role', 'lecturer', '--password-stdin', '--json'],
        'piped password 1\r\nsecond line ignored\n',
      );
      const out = json(r);
      expect(out).not.toHaveProperty('password');
      expect(r.stdout + r.stderr).not.toContain('piped password 1');
      expect(await verifyCredentials('piped@campus.edu', 'piped password 1')).toMatchObject({
        email: 'piped@campus.edu',
      });
      expect(await verifyCredentials('piped@campus.edu', 'piped password 1\r')).toBeNull();
    },
  );

  it(
    'refuses a duplicate email, a bad role, a bad email, an empty and a too-long password with a non-zero exit',
    { timeout: 90_000 },
    async () => {
      const dup = await cli(['users', 'add', '--email', 'ADMIN@campus.edu', '--role', 'lecturer', '--json']);
      fails(dup, 1, /^attendance: A user with the email admin@campus\.edu already exists$/m);
      expect(JSON.parse(dup.stdout)).toEqual({
        error: { code: 'CONFLICT', message: 'A user with the email admin@campus.edu already exists' },
      });
      fails(
        await cli(['users', 'add', '--email', 'x@campus.edu', '--role', 'superuser']),
        2,
        /--role must be one of admin, lecturer, got "superuser"/,
      );
      fails(
        await cli(['users', 'add', '--email', 'not-an-email', '--role', 'lecturer']),
        1,
        /--email must be an email address, got "not-an-email"/,
      );
      fails(
        await cli(
          ['users', 'add', '--email', 'empty@campus.edu', '--role', 'lecturer', '--password-stdin'],
          '\nlater\n',
        ),
        1,
        /the first line of stdin is empty/,
      );
      fails(
        await cli(
          ['users', 'add', '--email', 'long@campus.edu', '--role', 'lecturer', '--password-stdin'],
          `${'ü'.repeat(37)}\n`,
        ),
        1,
        /Passwords can be at most 72 bytes/,
      );
      expect(await findUserByEmail('empty@campus.edu')).toBeUndefined();
      expect(await findUserByEmail('long@campus.edu')).toBeUndefined();
    },
  );
});

describe('users list, disable, enable, reset-password', () => {
  it(
    'lists users; disable stops sign-in and bumps the session version; enable undoes it; unknown emails fail',
    { timeout: 90_000 },
    async () => {
      const list = json(await cli(['users', 'list', '--json'])) as { email: string; status: string; role: string }[];
      expect(list.map((u) => [u.email, u.role, u.status])).toEqual([
        ['admin@campus.edu', 'admin', 'active'],
        ['dosen@campus.edu', 'lecturer', 'active'],
        ['piped@campus.edu', 'lecturer', 'active'],
      ]);
      const before = (await findUserByEmail('piped@campus.edu'))!;

      const disabled = json(await cli(['users', 'disable', '--email', 'Piped@campus.edu', '--json']));
      expect(disabled).toMatchObject({
        email: 'piped@campus.edu',
        status: 'disabled',
        disabled_at: expect.any(String),
      });
      const after = (await findUserByEmail('piped@campus.edu'))!;
      expect(after.tokenVersion).toBe(before.tokenVersion + 1);
      expect(await verifyCredentials('piped@campus.edu', 'piped password 1')).toBeNull();
      expect((await cli(['users', 'list'])).stdout).toMatch(
        /^piped@campus\.edu\s+lecturer\s+disabled\s+last sign-in never/m,
      );

      const enabled = await cli(['users', 'enable', '--email', 'piped@campus.edu']);
      expect(enabled.stdout.trim()).toBe('Enabled piped@campus.edu: they can sign in again.');
      expect(await verifyCredentials('piped@campus.edu', 'piped password 1')).toMatchObject({ disabledAt: null });
      expect((await listAuditFor('users', before.userId)).map((a) => a.action)).toEqual(
        expect.arrayContaining(['user.disable', 'user.enable']),
      );

      for (const cmd of ['disable', 'enable', 'reset-password']) {
        fails(
          await cli(['users', cmd, '--email', 'nobody@campus.edu']),
          1,
          /^attendance: Unknown user "nobody@campus\.edu" \(list them with: users list\)$/m,
        );
      }
      fails(
        await cli(['users', 'disable', '--email', 'admin@campus.edu']),
        1,
        /admin@campus\.edu is the last enabled admin and cannot be disabled; make another user admin first/,
      );
    },
  );

  it(
    'reset-password: a generated one (printed once) or the first stdin line; the old password stops working',
    { timeout: 90_000 },
    async () => {
      const before = (await findUserByEmail('dosen@campus.edu'))!;
      const generated = json(await cli(['users', 'reset-password', '--email', 'dosen@campus.edu', '--json']));
      expect(generated).toMatchObject({
        email: 'dosen@campus.edu',
        password: expect.stringMatching(/^[A-Za-z0-9_-]{20}$/),
      });
      expect(await verifyCredentials('dosen@campus.edu', generated.password)).toMatchObject({
        tokenVersion: before.tokenVersion + 1,
      });

      const piped = await cli(
        ['users', 'reset-password', '--email', 'dosen@campus.edu', '--password-stdin'],
        'sandi-baru-yang-panjang',
      );
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout.trim()).toBe(
        'New password set for dosen@campus.edu; their open sessions end within 5 seconds.',
      );
      expect(await verifyCredentials('dosen@campus.edu', generated.password)).toBeNull();
      expect(await verifyCredentials('dosen@campus.edu', 'sandi-baru-yang-panjang')).toMatchObject({
        tokenVersion: before.tokenVersion + 2,
      });
      fails(
        await cli(['users', 'reset-password', '--email', 'dosen@campus.edu', '--password-stdin'], 'short\n'),
        1,
        /at least 8 characters/,
      );
      expect(
        (await listAuditFor('users', before.userId)).filter((a) => a.action === 'user.password_reset'),
      ).toHaveLength(2);
    },
  );
});
