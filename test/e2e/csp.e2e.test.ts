/**
 * Issue "Hardening II" against the built app (`next start`) in Chromium: the Content-Security-Policy
 * allows scripts by a per-request nonce only (no 'unsafe-inline'), and every page still hydrates with
 * no CSP violation; the login page never redirects off-site; and the sign-in limit holds on the side
 * doors over real HTTP, with the client IP taken from the socket (instrumentation.ts's hook).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { launchChromium, signIn } from './browser';
import { startApp, type E2eApp } from './server';

let app: E2eApp;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
/** CSP violations and console errors seen by any page of the admin's browser. */
const problems: string[] = [];

function scriptSrc(policy: string): string {
  return (
    policy
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src ')) ?? ''
  );
}

/** Records what the browser says about the CSP (its own reports and ours below) and uncaught script errors. */
function watch(p: Page): void {
  p.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy|CSP violation/i.test(m.text())) problems.push(`${p.url()}: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`${p.url()}: ${e.message}`));
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every violation the browser reports, with the directive, reaches the test through the console.
  await admin.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
  });
  admin.on('page', watch);
  page = await signIn(admin, app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('Content-Security-Policy with nonces', () => {
  it('gives each page response its own nonce in script-src, no unsafe-inline, and the nonce on every script tag', async () => {
    const cookie = (await admin.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const nonces = new Set<string>();
    for (const path of ['/login', '/', '/students', '/login']) {
      const res = await fetch(`${app.baseUrl}${path}`, { headers: path === '/login' ? {} : { cookie } });
      expect(res.status, path).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy.split(', ').length, `${path}: one policy`).toBe(1);
      const src = scriptSrc(policy);
      expect(src, path).not.toContain('unsafe-inline');
      expect(src, path).not.toContain('unsafe-eval');
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(src)?.[1];
      expect(nonce, `${path}: ${src}`).toBeTruthy();
      nonces.add(nonce!);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(4);
    // API responses keep a policy too, without a nonce: nothing runs from them.
    const api = await fetch(`${app.baseUrl}/api/health`);
    expect(scriptSrc(api.headers.get('content-security-policy') ?? '')).toBe("script-src 'self'");
  });

  it('signs in through the hydrated login form and navigates the dashboard client-side with no CSP violation', async () => {
    // Signing in above went through the form's client-side handler (a hydrated React form).
    expect(new URL(page.url()).pathname).toBe('/');
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    for (const [label, path] of [
      ['Students', '/students'],
      ['Courses', '/courses'],
      ['Sessions', '/sessions'],
      ['Cameras', '/cameras'],
      ['Reports', '/reports'],
      ['Users', '/users'],
      ['Audit log', '/audit'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
      await page.waitForURL(`${app.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
      // The router moved without reloading the document: React and the app's scripts are running.
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), path).toBe(true);
    }
    // Full loads of each page (and a 404) run their scripts under the nonce too.
    for (const path of ['/', '/students', '/sessions', '/reports', '/no-such-page']) {
      await page.goto(`${app.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
      await page.waitForFunction(() => 'next' in window);
    }
    expect(problems).toEqual([]);

    // What the policy is for: an injected inline handler does not run, and the browser says why.
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'injected';
      b.textContent = 'x';
      b.setAttribute('onclick', 'window.injectedRan = true');
      document.body.append(b);
    });
    await page.click('#injected');
    await expect.poll(() => problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { injectedRan?: boolean }).injectedRan)).toBeUndefined();
  }, 120_000);

  it('loads a fresh login page with no CSP violation, and its form works', async () => {
    const fresh = await browser.newContext();
    const seen: string[] = [];
    await fresh.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective}`),
      ),
    );
    const p = await fresh.newPage();
    p.on('console', (m) => seen.push(m.text()));
    p.on('pageerror', (e) => seen.push(e.message));
    await p.goto(`${app.baseUrl}/login`);
    await p.fill('input[name=email]', 'nobody@uni.example');
    await p.fill('input[name=password]', 'not the password');
    await p.click('button[type=submit]');
    // The client-side handler shows the answer in the page (no reload to /login?error=…).
    await p.getByText('Wrong email or password.').waitFor();
    expect(new URL(p.url()).search).toBe('');
    expect(seen.filter((s) => /CSP|Content[- ]Security[- ]Policy|Error/i.test(s))).toEqual([]);
    await fresh.close();
  }, 60_000);
});

describe('login page redirect while signed in', () => {
  it('never sends the browser to another origin', async () => {
    const cookie = (await admin.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    for (const cb of [
      '/.//evil.example',
      '/%2F%2Fevil.example',
      '/\\evil.example',
      '//evil.example',
      '/..//evil.example',
    ]) {
      const res = await fetch(`${app.baseUrl}/login?callbackUrl=${encodeURIComponent(cb)}`, {
        headers: { cookie },
        redirect: 'manual',
      });
      expect(res.status, cb).toBeGreaterThanOrEqual(300);
      const location = res.headers.get('location') ?? '';
      expect(new URL(location, app.baseUrl).origin, `${cb} → ${location}`).toBe(app.baseUrl);
      expect(location, cb).not.toMatch(/^\/\/|^\/\\/);
    }
    const kept = await fetch(`${app.baseUrl}/login?callbackUrl=${encodeURIComponent('/reports?x=1')}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(kept.headers.get('location')).toBe('/reports?x=1');
  });
});

// Last in this file: it leaves the sign-in limit holding for the demo lecturer.
describe('sign-in limit on the side doors (next start)', () => {
  async function attempt(body: string, contentType: string, path = '/api/auth/callback/credentials', xff?: string) {
    const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`);
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': contentType, ...(xff ? { 'x-forwarded-for': xff } : {}) },
      body: body.replace('CSRF', encodeURIComponent(csrfToken)),
    });
    await res.arrayBuffer();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      signedIn: res.headers.getSetCookie().some((c) => /session-token=[^;]+/.test(c)),
    };
  }

  it('answers 429 on /x, JSON and repeated-email tries with a rotating X-Forwarded-For, and refuses the right password', async () => {
    const victim = DEMO_LECTURER_EMAIL;
    const password = app.passwords[victim];
    expect(password, 'seeded lecturer').toBeTruthy();
    const form = (email: string, pw: string) =>
      `csrfToken=CSRF&email=decoy%40example.edu&email=${encodeURIComponent(email)}&password=${encodeURIComponent(pw)}&json=true`;
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const kind = i % 3;
      const r =
        kind === 0
          ? await attempt(
              form(victim, `wrong-${i}`),
              'application/x-www-form-urlencoded',
              '/api/auth/callback/credentials/x',
            )
          : kind === 1
            ? await attempt(
                JSON.stringify({ csrfToken: 'CSRF', email: victim, password: `wrong-${i}`, json: 'true' }),
                'application/json',
              )
            : await attempt(
                form(victim, `wrong-${i}`),
                'application/x-www-form-urlencoded',
                undefined,
                `203.0.113.${i}`,
              );
      statuses.push(r.status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429, 429, 429]);
    const right = await attempt(
      form(victim, password!),
      'application/x-www-form-urlencoded',
      '/api/auth/callback/credentials/x',
      '198.51.100.9',
    );
    expect(right).toMatchObject({ status: 429, signedIn: false });
    expect(Number(right.retryAfter)).toBeGreaterThan(14 * 60);
  }, 60_000);
});
