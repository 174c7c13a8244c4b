import { describe, expect, it, vi } from 'vitest';
import type { UserAuthState } from '@/lib/data/users';
import { SessionChecker, SessionEndedError } from './session-check';

function fakeUsers(initial: UserAuthState) {
  let row: UserAuthState | undefined = { ...initial };
  let loads = 0;
  return {
    load: async () => {
      loads++;
      return row && { ...row };
    },
    set: (patch: Partial<UserAuthState> | undefined) => (row = patch === undefined ? undefined : { ...row!, ...patch }),
    loads: () => loads,
  };
}

const ana: UserAuthState = {
  userId: 'u1',
  role: 'lecturer',
  name: 'Ana',
  email: 'ana@campus.edu',
  tokenVersion: 3,
  disabledAt: null,
};

describe('SessionChecker', () => {
  it('accepts a token whose version matches and returns the current role and name', async () => {
    const users = fakeUsers(ana);
    const checker = new SessionChecker(users.load, 5_000, () => 0);
    await expect(checker.check('u1', 3)).resolves.toEqual({ role: 'lecturer', name: 'Ana', email: 'ana@campus.edu' });
  });

  it('ends the session when the user is disabled, the version moved on or the user is gone', async () => {
    const users = fakeUsers(ana);
    let now = 0;
    const checker = new SessionChecker(users.load, 5_000, () => now);
    await expect(checker.check('u1', 2)).rejects.toMatchObject({ reason: 'token_version' });
    users.set({ disabledAt: new Date() });
    now = 5_001;
    await expect(checker.check('u1', 3)).rejects.toMatchObject({ reason: 'disabled' });
    users.set(undefined);
    now = 10_002;
    await expect(checker.check('u1', 3)).rejects.toBeInstanceOf(SessionEndedError);
    await expect(checker.check(undefined, 3)).rejects.toMatchObject({ reason: 'no_user' });
  });

  it('treats a token without a version (issued before token_version existed) as version 0', async () => {
    const checker = new SessionChecker(fakeUsers({ ...ana, tokenVersion: 0 }).load);
    await expect(checker.check('u1', undefined)).resolves.toMatchObject({ role: 'lecturer' });
  });

  it('reads the row at most once per TTL, and again at once after forget()', async () => {
    const users = fakeUsers(ana);
    let now = 1_000;
    const checker = new SessionChecker(users.load, 5_000, () => now);
    await checker.check('u1', 3);
    users.set({ tokenVersion: 4 });
    now = 5_999;
    await expect(checker.check('u1', 3)).resolves.toBeDefined(); // still cached: the documented window
    expect(users.loads()).toBe(1);
    now = 6_000;
    await expect(checker.check('u1', 3)).rejects.toMatchObject({ reason: 'token_version' });
    expect(users.loads()).toBe(2);
    users.set({ role: 'admin' });
    checker.forget('u1');
    await expect(checker.check('u1', 4)).resolves.toMatchObject({ role: 'admin' });
    expect(users.loads()).toBe(3);
  });
});

describe('sessionChecker', () => {
  it('is one instance per process even when the module is loaded twice (Next bundles pages and route handlers apart)', async () => {
    const first = (await import('./session-check')).sessionChecker;
    vi.resetModules();
    const second = await import('./session-check');
    expect(second.sessionChecker).toBe(first);
    expect(second.SessionChecker).not.toBe(SessionChecker); // really a second copy of the module
  });
});
