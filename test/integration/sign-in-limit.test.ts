/**
 * The sign-in brute-force limit over HTTP: a real Node HTTP server (with the socket-address hook the
 * web server installs from instrumentation.ts) in front of the app's real `/api/auth/[...nextauth]`
 * handler and Auth.js. Reproduces the side doors of issue "Hardening II" #1 — a longer path, a JSON
 * body, a repeated `email` field, a rotating X-Forwarded-For — a parallel burst, and TRUSTED_PROXIES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@/db/schema';
import { listAuditLog } from '@/lib/data/audit-log';
import { resetEnvCache } from '@/lib/env';
import { makeUser } from '../factories';
import { type AuthRouteServer, startAuthRouteServer } from '../helpers/auth-route-server';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const PASSWORD = 'right password for the limit test';
let server: AuthRouteServer | undefined;
let base: string;

beforeAll(async () => {
  server = await startAuthRouteServer();
  base = server.base;
});

afterAll(async () => {
  await server?.close();
  delete process.env.TRUSTED_PROXIES;
  resetEnvCache();
});

function useTrustedProxies(n: number | undefined): void {
  if (n === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = String(n);
  resetEnvCache();
}

/** The CSRF cookie and token, as the login form fetches them first. */
async function csrf(): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${base}/api/auth/csrf`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
}

type Door = 'plain' | 'longer path' | 'json body' | 'repeated email';

/** One sign-in attempt for `email` through `door`; `xff` is what the client sends as X-Forwarded-For. */
async function attempt(
  email: string,
  password: string,
  door: Door = 'plain',
  xff?: string,
): Promise<{ status: number; retryAfter: string | null; signedIn: boolean }> {
  const { cookie, csrfToken } = await csrf();
  const headers: Record<string, string> = { cookie, origin: base };
  if (xff) headers['x-forwarded-for'] = xff;
  let body: string;
  if (door === 'json body') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ csrfToken, email, password, json: 'true' });
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams({ csrfToken });
    if (door === 'repeated email') form.append('email', 'decoy@uni.example');
    form.append('email', email);
    form.append('password', password);
    form.append('json', 'true');
    body = form.toString();
  }
  const path = door === 'longer path' ? '/api/auth/callback/credentials/x' : '/api/auth/callback/credentials';
  const res = await fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers, body });
  await res.arrayBuffer();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    signedIn: res.headers.getSetCookie().some((c) => /session-token=[^;]+/.test(c)),
  };
}

async function failedRows(email: string) {
  const rows = (await listAuditLog({ action: 'auth.sign_in_failed', pageSize: 200 })).rows;
  return rows.filter((r) => (r.details as { email?: string }).email === email);
}

describe('sign-in limit over HTTP (every door Auth.js opens goes through authorize())', () => {
  let victim: User;
  beforeAll(async () => {
    useTrustedProxies(undefined);
    victim = await makeUser({ email: 'victim@uni.example', password: PASSWORD, role: 'admin' });
  });

  it('counts 14 wrong passwords over a longer path, a JSON body and a repeated email with rotating X-Forwarded-For; then refuses the right password', async () => {
    const doors: Door[] = ['longer path', 'json body', 'repeated email'];
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const r = await attempt('victim@uni.example', `wrong-${i}`, doors[i % 3], `203.0.113.${i + 1}`);
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.retryAfter)).toBeGreaterThan(14 * 60);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429, 429, 429]);
    for (const door of ['longer path', 'plain', 'json body'] as const) {
      const right = await attempt(' Victim@UNI.example ', PASSWORD, door, '198.51.100.200');
      expect(right, door).toMatchObject({ status: 429, signedIn: false });
    }

    // Ten failure rows and one row counting the 7 refused attempts; all from the socket's address.
    const rows = await failedRows('victim@uni.example');
    const refused = rows.filter((r) => (r.details as { reason?: string }).reason === 'too_many_attempts');
    expect(refused.map((r) => r.details)).toEqual([
      { email: 'victim@uni.example', ip: '127.0.0.1', reason: 'too_many_attempts', attempts: 7 },
    ]);
    expect(refused[0]!.entityId).toBe(victim.userId);
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((r) => (r.details as { ip: string }).ip))).toEqual(new Set(['127.0.0.1']));
    expect(await failedRows('decoy@uni.example')).toEqual([]);
  }, 60_000);

  it('lets only 10 of a parallel burst of 30 reach a password check; the right password is refused after', async () => {
    await makeUser({ email: 'burst@uni.example', password: PASSWORD });
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt('burst@uni.example', `guess-${i}`)));
    const count = (s: number) => burst.filter((r) => r.status === s).length;
    expect([count(401), count(429)]).toEqual([10, 20]);
    expect((await attempt('burst@uni.example', PASSWORD)).status).toBe(429);
    const refused = (await failedRows('burst@uni.example')).filter((r) => (r.details as { reason?: string }).reason);
    expect(refused.map((r) => (r.details as { attempts: number }).attempts)).toEqual([21]);
  }, 60_000);

  it('audits a sign-in by the user and a failure with the normalised email and IP, never the password', async () => {
    const user = await makeUser({ email: 'sign.in@uni.example', password: PASSWORD });
    expect(await attempt('sign.in@uni.example', PASSWORD)).toMatchObject({ status: 200, signedIn: true });
    expect((await attempt('  Sign.In@UNI.example ', 'wrong-password-123')).status).toBe(401);
    expect((await attempt('nobody@uni.example', 'guess-password-456')).status).toBe(401);
    const ok = (await listAuditLog({ action: 'auth.sign_in' })).rows;
    expect(ok.map((r) => [r.actorUserId, r.entityId, r.details])).toEqual([
      [user.userId, user.userId, { ip: '127.0.0.1' }],
    ]);
    expect((await failedRows('sign.in@uni.example')).map((r) => [r.entityId, r.details])).toEqual([
      [user.userId, { email: 'sign.in@uni.example', ip: '127.0.0.1' }],
    ]);
    expect((await failedRows('nobody@uni.example')).map((r) => [r.entityId, r.details])).toEqual([
      [null, { email: 'nobody@uni.example', ip: '127.0.0.1' }],
    ]);
    const all = (await listAuditLog({ pageSize: 200 })).rows;
    expect(JSON.stringify(all)).not.toContain('password-');
    expect(JSON.stringify(all)).not.toContain(PASSWORD);
  }, 30_000);

  it('with TRUSTED_PROXIES=1 takes the hop the proxy appended: the client cannot pick another by writing to the left', async () => {
    useTrustedProxies(1);
    try {
      // The proxy appended 198.51.100.77; the client rotates what it wrote before it.
      for (let i = 0; i < 50; i++)
        expect((await attempt(`spray-${i}@uni.example`, 'nope', 'plain', `10.9.${i}.1, 198.51.100.77`)).status).toBe(
          401,
        );
      const blocked = await attempt('spray-50@uni.example', 'nope', 'plain', '10.9.99.1, 198.51.100.77');
      expect(blocked.status).toBe(429);
      // Another client behind the same proxy is not affected.
      expect((await attempt('spray-51@uni.example', 'nope', 'plain', '198.51.100.78')).status).toBe(401);
      expect((await failedRows('spray-0@uni.example'))[0]!.details).toEqual({
        email: 'spray-0@uni.example',
        ip: '198.51.100.77',
      });
    } finally {
      useTrustedProxies(undefined);
    }
  }, 120_000);
});
