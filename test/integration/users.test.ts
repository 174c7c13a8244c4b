/**
 * User administration through the real API routes and real Auth.js sessions (see
 * test/helpers/auth-requests.ts): sign in via the credentials callback, then disable / reset the
 * password and watch the same cookie stop working at its next request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@/db/schema';
import { listAuditFor } from '@/lib/data/audit';
import { disableUser, enableUser, getUserOrThrow, updateUser } from '@/lib/data/users';
import { makeUser } from '../factories';
import { BASE_URL, callRoute, jsonRequest, sessionOf, signIn, type CookieJar } from '../helpers/auth-requests';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const PASSWORD = 'correct horse battery';
const usersRoute = () => import('@/app/api/users/route');
const userRoute = () => import('@/app/api/users/[userId]/route');
const passwordRoute = () => import('@/app/api/users/[userId]/password/route');
const coursesRoute = () => import('@/app/api/courses/route');

let admin: User;
let adminJar: CookieJar;

async function signedIn(email: string, password = PASSWORD): Promise<CookieJar> {
  const r = await signIn(email, password);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.jar.hasSession()).toBe(true);
  return r.jar;
}

const listCourses = async (jar: CookieJar) =>
  callRoute((await coursesRoute()).GET, jsonRequest(jar, 'GET', '/api/courses'));
const patchUser = async (jar: CookieJar, userId: string, body: unknown) =>
  callRoute((await userRoute()).PATCH, jsonRequest(jar, 'PATCH', `/api/users/${userId}`, body), { userId });
const setPassword = async (jar: CookieJar, userId: string, body: unknown) =>
  callRoute((await passwordRoute()).POST, jsonRequest(jar, 'POST', `/api/users/${userId}/password`, body), { userId });
const addUser = async (jar: CookieJar, body: unknown) =>
  callRoute((await usersRoute()).POST, jsonRequest(jar, 'POST', '/api/users', body));

beforeAll(async () => {
  admin = await makeUser({ role: 'admin', email: 'head@campus.edu' });
  adminJar = await signedIn(admin.email);
});

describe('sessions end when the user is disabled', () => {
  it("disabling a lecturer turns their existing cookie's next request into 401, and they cannot sign in again", async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const jar = await signedIn(lecturer.email);
    expect((await listCourses(jar)).status).toBe(200);
    expect(await sessionOf(jar)).toMatchObject({ user: { id: lecturer.userId, role: 'lecturer' } });
    const staleCookie = jar.header();

    const res = await patchUser(adminJar, lecturer.userId, { disabled: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: lecturer.userId, disabledAt: expect.any(String) });

    const after = await listCourses(jar);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Sign in first' } });
    // The browser's session endpoint says "signed out" and deletes the cookie.
    expect(await sessionOf(jar)).toEqual({});
    expect(jar.hasSession()).toBe(false);

    // A disabled user's right password fails exactly like a wrong one.
    const disabled = await signIn(lecturer.email, PASSWORD);
    const wrong = await signIn(lecturer.email, 'not the password');
    expect(disabled.status).toBe(401);
    expect(disabled.jar.hasSession()).toBe(false);
    expect({ status: disabled.status, body: disabled.body }).toEqual({ status: wrong.status, body: wrong.body });

    expect((await patchUser(adminJar, lecturer.userId, { disabled: false })).status).toBe(200);
    // The old cookie stays dead after enabling (disabling bumped token_version); a new sign-in works.
    const stale = await callRoute(
      (await coursesRoute()).GET,
      new Request(`${BASE_URL}/api/courses`, { headers: { cookie: staleCookie } }),
    );
    expect(stale.status).toBe(401);
    expect((await listCourses(await signedIn(lecturer.email))).status).toBe(200);

    const actions = (await listAuditFor('users', lecturer.userId)).map((a) => [a.action, a.actorUserId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['user.disable', admin.userId],
        ['user.enable', admin.userId],
      ]),
    );
  });

  it(
    'a change made outside this process (the CLI) ends the session within the 5 s cache window',
    { timeout: 20_000 },
    async () => {
      const lecturer = await makeUser({ role: 'lecturer' });
      const jar = await signedIn(lecturer.email);
      expect((await listCourses(jar)).status).toBe(200); // caches the user's row
      await disableUser(lecturer.userId, null); // as `users disable` does, without touching this process's cache
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 8_000) {
        status = (await listCourses(jar)).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThanOrEqual(5_500);
    },
  );

  it('a role change counts from the next request (the role is read from the row, not the cookie)', async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const jar = await signedIn(lecturer.email);
    expect((await callRoute((await usersRoute()).GET, jsonRequest(jar, 'GET', '/api/users'))).status).toBe(403);
    expect((await patchUser(adminJar, lecturer.userId, { role: 'admin', name: 'Promoted' })).status).toBe(200);
    const list = await callRoute((await usersRoute()).GET, jsonRequest(jar, 'GET', '/api/users'));
    expect(list.status).toBe(200);
    expect(await sessionOf(jar)).toMatchObject({ user: { role: 'admin', name: 'Promoted' } });
    await updateUser(lecturer.userId, { role: 'lecturer' }, admin.userId);
    expect((await listAuditFor('users', lecturer.userId)).map((a) => a.details)).toContainEqual({
      role: ['lecturer', 'admin'],
      name: [lecturer.name, 'Promoted'],
    });
  });
});

describe('password reset', () => {
  it('a generated password is returned once, old sessions end, the old password stops and the new one works', async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const jar = await signedIn(lecturer.email);
    const res = await setPassword(adminJar, lecturer.userId, {});
    expect(res.status).toBe(200);
    const { password, user } = (await res.json()) as { password: string; user: Record<string, unknown> };
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(user).not.toHaveProperty('passwordHash');
    expect(user).not.toHaveProperty('tokenVersion');

    expect((await listCourses(jar)).status).toBe(401);
    expect((await signIn(lecturer.email, PASSWORD)).status).toBe(401);
    expect((await listCourses(await signedIn(lecturer.email, password))).status).toBe(200);
    expect((await listAuditFor('users', lecturer.userId)).map((a) => [a.action, a.actorUserId])).toContainEqual([
      'user.password_reset',
      admin.userId,
    ]);
    expect(JSON.stringify(await listAuditFor('users', lecturer.userId))).not.toContain(password);
  });

  it('an admin-chosen password is set (and not echoed back); one over 72 bytes or too short is refused in plain words', async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const chosen = await setPassword(adminJar, lecturer.userId, { password: 'kata sandi baru 2025' });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).not.toHaveProperty('password');
    await signedIn(lecturer.email, 'kata sandi baru 2025');

    const long = await setPassword(adminJar, lecturer.userId, { password: 'é'.repeat(37) }); // 74 bytes
    expect(long.status).toBe(400);
    expect((await long.json()).error.message).toMatch(/at most 72 bytes/);
    const short = await setPassword(adminJar, lecturer.userId, { password: 'abc' });
    expect((await short.json()).error).toMatchObject({
      code: 'VALIDATION',
      message: 'Passwords must be at least 8 characters long',
    });
    await signedIn(lecturer.email, 'kata sandi baru 2025'); // unchanged by the refused attempts
  });
});

describe('POST /api/users and GET /api/users', () => {
  it('adds a lecturer with a generated password that signs in, lists users without hashes, and audits the creation', async () => {
    const res = await addUser(adminJar, { email: 'New.Lecturer@Campus.edu', role: 'lecturer' });
    expect(res.status).toBe(201);
    const { user, password } = (await res.json()) as {
      user: { userId: string; email: string; name: string; role: string };
      password: string;
    };
    expect(user).toMatchObject({ email: 'new.lecturer@campus.edu', name: 'new.lecturer', role: 'lecturer' });
    await signedIn('new.lecturer@campus.edu', password);

    const list = await callRoute((await usersRoute()).GET, jsonRequest(adminJar, 'GET', '/api/users'));
    const { users } = (await list.json()) as { users: Record<string, unknown>[] };
    expect(users.map((u) => u.email)).toContain('new.lecturer@campus.edu');
    expect(users.find((u) => u.email === 'new.lecturer@campus.edu')).toMatchObject({
      lastLoginAt: expect.any(String),
      disabledAt: null,
    });
    for (const u of users) expect(Object.keys(u)).not.toEqual(expect.arrayContaining(['passwordHash']));
    expect(
      (await listAuditFor('users', user.userId))
        .filter((a) => a.action.startsWith('user.'))
        .map((a) => [a.action, a.actorUserId]),
    ).toEqual([['user.create', admin.userId]]);
  });

  it('refuses a duplicate email (409), a bad role, a bad email and a 73-byte password (400) with plain messages', async () => {
    const dup = await addUser(adminJar, { email: 'HEAD@campus.edu', role: 'lecturer', password: 'long enough pass' });
    expect(dup.status).toBe(409);
    expect((await dup.json()).error.message).toBe('A user with the email head@campus.edu already exists');

    const role = await addUser(adminJar, { email: 'x@campus.edu', role: 'root' });
    expect(role.status).toBe(400);
    expect((await role.json()).error.fields.role).toBe('The role must be admin or lecturer');
    const email = await addUser(adminJar, { email: 'not-an-email', role: 'lecturer' });
    expect((await email.json()).error.fields.email).toBe('Enter a valid email address');

    const long = await addUser(adminJar, { email: 'long@campus.edu', role: 'lecturer', password: 'x'.repeat(73) });
    expect(long.status).toBe(400);
    expect((await long.json()).error.message).toMatch(/^Passwords can be at most 72 bytes/);
    const ok72 = await addUser(adminJar, { email: 'long@campus.edu', role: 'lecturer', password: 'x'.repeat(72) });
    expect(ok72.status).toBe(201);
  });
});

describe('the last enabled admin', () => {
  it('an admin cannot disable themselves; the last enabled admin cannot be disabled or demoted (409)', async () => {
    // Other tests in this file promoted nobody for good: `admin` is the only admin here.
    const self = await patchUser(adminJar, admin.userId, { disabled: true });
    expect(self.status).toBe(409);
    expect((await self.json()).error.message).toBe('You cannot disable your own account; ask another admin');
    const demote = await patchUser(adminJar, admin.userId, { role: 'lecturer' });
    expect(demote.status).toBe(409);
    expect((await demote.json()).error.message).toBe(
      'head@campus.edu is the last enabled admin and cannot be made a lecturer; make another user admin first',
    );
    await expect(disableUser(admin.userId, null)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('is the last enabled admin and cannot be disabled'),
    });

    const second = await makeUser({ role: 'admin' });
    const secondJar = await signedIn(second.email);
    expect((await patchUser(secondJar, admin.userId, { disabled: true })).status).toBe(200);
    // A disabled admin does not count: `second` is now the last enabled one.
    const last = await patchUser(secondJar, second.userId, { role: 'lecturer' });
    expect(last.status).toBe(409);
    expect((await getUserOrThrow(second.userId)).role).toBe('admin');
    await enableUser(admin.userId, second.userId);
    // With two enabled admins, one may step down.
    expect((await patchUser(secondJar, second.userId, { role: 'lecturer' })).status).toBe(200);
    expect((await listAuditFor('users', admin.userId)).map((a) => [a.action, a.actorUserId])).toEqual(
      expect.arrayContaining([
        ['user.disable', second.userId],
        ['user.enable', second.userId],
      ]),
    );
    adminJar = await signedIn(admin.email); // its old session ended when it was disabled
  });

  it('an unknown user id is a 404', async () => {
    const res = await patchUser(adminJar, 'no-such-user', { name: 'X' });
    expect(res.status).toBe(404);
  });
});
