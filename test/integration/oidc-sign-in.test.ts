/**
 * Campus single sign-on over real HTTP: a real OpenID Connect provider (oidc-provider on loopback,
 * test/helpers/oidc-provider.ts) and the app's real `/api/auth/[...nextauth]` handler behind a Node
 * HTTP server. Each sign-in walks the authorisation code flow as a browser would — the app's redirect
 * with PKCE and state, the IdP's login form, the redirect back with the code — and then reads the
 * session. LOCAL_PASSWORDS=admins holds for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionChecker } from '@/lib/auth/session-check';
import { listAuditLog } from '@/lib/data/audit-log';
import { disableUser, findUserByEmail } from '@/lib/data/users';
import { resetEnvCache } from '@/lib/env';
import { makeUser } from '../factories';
import { CookieJar } from '../helpers/auth-requests';
import { ADMIN_GROUP, LECTURER_GROUP, startOidcProvider, type TestIdp } from '../helpers/oidc-provider';
import { type AuthRouteServer, startAuthRouteServer } from '../helpers/auth-route-server';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const CAMPUS_PASSWORD = 'campus password 1';
const ACCOUNTS = [
  { email: 'ada@campus.test', name: 'Ada Lecturer', groups: [LECTURER_GROUP, 'library'] },
  { email: 'grace@campus.test', name: 'Grace Admin', groups: [ADMIN_GROUP] },
  { email: 'promoted@campus.test', name: 'Promoted', groups: [ADMIN_GROUP] },
  { email: 'known@campus.test', name: 'Known Person', groups: ['library'] },
  { email: 'stranger@campus.test', name: 'Stranger', groups: ['library'] },
  { email: 'gone@campus.test', name: 'Gone Lecturer', groups: [LECTURER_GROUP] },
  { email: 'unverified@campus.test', name: 'Unverified', groups: [LECTURER_GROUP], emailVerified: false },
].map((a) => ({ ...a, password: CAMPUS_PASSWORD }));

const ENV_KEYS: string[] = [];
let server: AuthRouteServer | undefined;
let base: string;
let idp: TestIdp;

function setEnv(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) {
    process.env[k] = v;
    ENV_KEYS.push(k);
  }
  resetEnvCache();
}

beforeAll(async () => {
  server = await startAuthRouteServer();
  base = server.base;
  idp = await startOidcProvider({ redirectUris: [`${base}/api/auth/callback/oidc`], accounts: ACCOUNTS });
  // Auth.js reads NEXTAUTH_URL itself; the app's settings are read when the first request builds the options.
  setEnv({ ...idp.appEnv, NEXTAUTH_URL: base, LOCAL_PASSWORDS: 'admins' });
});

afterAll(async () => {
  await server?.close();
  await idp?.stop();
  for (const k of ENV_KEYS) delete process.env[k];
  resetEnvCache();
});

/** A browser: one cookie jar per origin, following redirects itself so each hop can be looked at. */
class Browser {
  private readonly jars = new Map<string, CookieJar>();
  readonly visited: URL[] = [];

  jar(origin: string): CookieJar {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new CookieJar()));
    return jar;
  }

  /** Requests `url` and follows redirects until a page answers; returns that answer and its URL. */
  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    let target = new URL(url);
    let method = init.method ?? 'GET';
    let body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hops = 0; hops < 15; hops++) {
      this.visited.push(target);
      const headers: Record<string, string> = { cookie: this.jar(target.origin).header() };
      if (body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers.origin = target.origin;
      }
      const res = await fetch(target, { method, headers, body, redirect: 'manual' });
      this.jar(target.origin).absorb(res);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: target, text: await res.text() };
      await res.arrayBuffer();
      target = new URL(location, target);
      method = 'GET';
      body = undefined;
    }
    throw new Error('too many redirects');
  }

  async session(): Promise<{ user?: { id: string; role: string; email: string } }> {
    const res = await fetch(`${base}/api/auth/session`, { headers: { cookie: this.jar(base).header() } });
    this.jar(base).absorb(res);
    return (await res.json()) as { user?: { id: string; role: string; email: string } };
  }
}

/** Clicks "Sign in with …" (Auth.js's sign-in POST with its CSRF token) and fills the IdP's login form. */
async function campusSignIn(email: string, password = CAMPUS_PASSWORD) {
  const browser = new Browser();
  const csrf = await browser.go(`${base}/api/auth/csrf`);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const login = await browser.go(`${base}/api/auth/signin/oidc`, {
    method: 'POST',
    form: { csrfToken, callbackUrl: `${base}/sessions` },
  });
  expect(login.url.origin).toBe(idp.issuer);
  const authorize = browser.visited.find((u) => u.origin === idp.issuer && u.pathname === '/auth')!;
  const landed = await browser.go(login.url.href, { method: 'POST', form: { login: email, password } });
  return { browser, authorize, landed, session: await browser.session() };
}

async function ssoAudit(action: 'auth.sign_in' | 'auth.sign_in_failed') {
  return (await listAuditLog({ action, pageSize: 200 })).rows.filter(
    (r) => (r.details as { method?: string }).method === 'oidc',
  );
}

describe('campus single sign-on (OIDC code flow against a real provider)', () => {
  it('asks the IdP for a code with PKCE (S256), state and nonce, and the configured scopes', async () => {
    const { authorize } = await campusSignIn('ada@campus.test');
    const q = authorize.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(idp.clientId);
    expect(q.get('redirect_uri')).toBe(`${base}/api/auth/callback/oidc`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('scope')).toBe('openid email profile groups');
  });

  it('signs a lecturer in by the group claim: a users row is made, the session carries its id, and the audit says oidc', async () => {
    const { landed, session } = await campusSignIn('ada@campus.test');
    expect(landed.url.href).toBe(`${base}/sessions`);
    const row = await findUserByEmail('ada@campus.test');
    expect(row).toMatchObject({ role: 'lecturer', name: 'Ada Lecturer' });
    expect(session.user).toMatchObject({ id: row!.userId, role: 'lecturer', email: 'ada@campus.test' });
    const audit = (await ssoAudit('auth.sign_in')).filter((r) => r.entityId === row!.userId);
    expect(audit[0]).toMatchObject({ actorUserId: row!.userId, details: { ip: '127.0.0.1', method: 'oidc' } });
    expect(row!.lastLoginAt).not.toBeNull();
  });

  it('makes a member of the admin group an admin', async () => {
    const { session } = await campusSignIn('grace@campus.test');
    expect(session.user).toMatchObject({ role: 'admin', email: 'grace@campus.test' });
  });

  it('lets the group claim decide the role of a user made beforehand (lecturer → admin), audited as user.update', async () => {
    const before = await makeUser({ email: 'promoted@campus.test', role: 'lecturer' });
    const { session } = await campusSignIn('promoted@campus.test');
    expect(session.user).toMatchObject({ id: before.userId, role: 'admin' });
    const updates = (await listAuditLog({ action: 'user.update', pageSize: 50 })).rows;
    expect(updates.find((r) => r.entityId === before.userId)?.details).toEqual({ role: ['lecturer', 'admin'] });
  });

  it('links a user made beforehand by e-mail when no group maps (keeps their role)', async () => {
    const known = await makeUser({ email: 'known@campus.test', role: 'lecturer' });
    const { session } = await campusSignIn('known@campus.test');
    expect(session.user).toMatchObject({ id: known.userId, role: 'lecturer' });
  });

  it('refuses a person with no mapped group and no account: the "not registered here" page, no account, audited', async () => {
    const { landed, session } = await campusSignIn('stranger@campus.test');
    expect(landed.url.pathname).toBe('/login/refused');
    expect(landed.url.searchParams.get('reason')).toBe('not_registered');
    expect(session.user).toBeUndefined();
    expect(await findUserByEmail('stranger@campus.test')).toBeUndefined();
    const failed = (await ssoAudit('auth.sign_in_failed')).map((r) => r.details);
    expect(failed).toContainEqual({
      email: 'stranger@campus.test',
      ip: '127.0.0.1',
      method: 'oidc',
      reason: 'not_registered',
    });
  });

  it('refuses a disabled user although the group claim maps', async () => {
    const gone = await makeUser({ email: 'gone@campus.test', role: 'lecturer' });
    await disableUser(gone.userId, null);
    const { landed, session } = await campusSignIn('gone@campus.test');
    expect(landed.url.pathname).toBe('/login/refused');
    expect(landed.url.searchParams.get('reason')).toBe('disabled');
    expect(session.user).toBeUndefined();
    const failed = (await ssoAudit('auth.sign_in_failed')).find((r) => r.entityId === gone.userId);
    expect(failed?.details).toMatchObject({ reason: 'disabled', method: 'oidc' });
  });

  it('refuses an address the IdP marks unverified', async () => {
    const { landed } = await campusSignIn('unverified@campus.test');
    expect(landed.url.searchParams.get('reason')).toBe('email_unverified');
    expect(await findUserByEmail('unverified@campus.test')).toBeUndefined();
  });

  it('ends a single sign-on session when the user is disabled (token_version)', async () => {
    const { browser, session } = await campusSignIn('ada@campus.test');
    expect(session.user?.role).toBe('lecturer');
    await disableUser(session.user!.id, null);
    sessionChecker.forget(session.user!.id);
    expect((await browser.session()).user).toBeUndefined();
  });

  it('refuses a callback that lacks the state and PKCE cookies of the browser that started it', async () => {
    const browser = new Browser();
    const csrf = await browser.go(`${base}/api/auth/csrf`);
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    const login = await browser.go(`${base}/api/auth/signin/oidc`, { method: 'POST', form: { csrfToken } });
    // Fill the IdP's form but stop at the redirect back to the app, then replay it from another browser.
    const res = await fetch(login.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: browser.jar(idp.issuer).header(),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ login: 'grace@campus.test', password: CAMPUS_PASSWORD }).toString(),
    });
    browser.jar(idp.issuer).absorb(res);
    let next = new URL(res.headers.get('location')!, login.url);
    while (next.origin === idp.issuer) {
      const hop = await fetch(next, { redirect: 'manual', headers: { cookie: browser.jar(idp.issuer).header() } });
      browser.jar(idp.issuer).absorb(hop);
      next = new URL(hop.headers.get('location')!, next);
    }
    expect(next.pathname).toBe('/api/auth/callback/oidc');
    expect(next.searchParams.get('code')).toBeTruthy();
    const attacker = new Browser();
    const landed = await attacker.go(next.href);
    expect(landed.url.pathname).toBe('/login');
    expect(landed.url.searchParams.get('error')).toBeTruthy();
    expect((await attacker.session()).user).toBeUndefined();
  });

  it('refuses a wrong password at the IdP (nothing reaches the app)', async () => {
    const browser = new Browser();
    const csrf = await browser.go(`${base}/api/auth/csrf`);
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    const login = await browser.go(`${base}/api/auth/signin/oidc`, { method: 'POST', form: { csrfToken } });
    const wrong = await browser.go(login.url.href, {
      method: 'POST',
      form: { login: 'grace@campus.test', password: 'not it' },
    });
    expect(wrong.res.status).toBe(401);
    expect(wrong.url.origin).toBe(idp.issuer);
    expect((await browser.session()).user).toBeUndefined();
  });
});

describe('LOCAL_PASSWORDS=admins', () => {
  async function passwordSignIn(email: string, password: string) {
    const browser = new Browser();
    const csrf = await browser.go(`${base}/api/auth/csrf`);
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    const res = await fetch(`${base}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: browser.jar(base).header(),
        origin: base,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
    });
    browser.jar(base).absorb(res);
    await res.arrayBuffer();
    return { status: res.status, session: await browser.session() };
  }

  it("refuses a lecturer's right password (audited) and lets a break-glass admin in", async () => {
    const lecturer = await makeUser({
      email: 'pw.lecturer@campus.test',
      password: 'lecturer password',
      role: 'lecturer',
    });
    const admin = await makeUser({ email: 'pw.admin@campus.test', password: 'admin password 1', role: 'admin' });
    const refused = await passwordSignIn('pw.lecturer@campus.test', 'lecturer password');
    expect(refused.status).toBe(401);
    expect(refused.session.user).toBeUndefined();
    const failed = (await listAuditLog({ action: 'auth.sign_in_failed', pageSize: 200 })).rows;
    expect(failed.find((r) => r.entityId === lecturer.userId)?.details).toEqual({
      email: 'pw.lecturer@campus.test',
      ip: '127.0.0.1',
      reason: 'passwords_admins_only',
    });
    const allowed = await passwordSignIn('pw.admin@campus.test', 'admin password 1');
    expect(allowed.status).toBe(200);
    expect(allowed.session.user).toMatchObject({ id: admin.userId, role: 'admin' });
  });
});
