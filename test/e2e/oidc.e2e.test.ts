/**
 * Campus single sign-on end to end in Chromium: the built app (`next start`, OIDC settings given at
 * start, since settings are read at run time) and a real OpenID Connect provider on loopback
 * (test/helpers/oidc-provider.ts). A person clicks "Sign in with Test Campus", fills the IdP's login
 * form and lands on the dashboard with the role their campus group gives; a person with no mapped group
 * and no account sees the "not registered here" page; with LOCAL_PASSWORDS=admins the password form
 * lets the break-glass admin in and refuses a lecturer.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_LECTURER_EMAIL } from '@/db/seed';
import { ADMIN_GROUP, LECTURER_GROUP, startOidcProvider, type TestIdp } from '../helpers/oidc-provider';
import { launchChromium, signInThroughIdp } from './browser';
import { freePort, startApp, type E2eApp } from './server';

const CAMPUS_PASSWORD = 'campus password 1';
let app: E2eApp;
let idp: TestIdp;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  idp = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`],
    accounts: [
      { email: 'ada@campus.test', name: 'Ada Lovelace', groups: [LECTURER_GROUP], password: CAMPUS_PASSWORD },
      { email: 'grace@campus.test', name: 'Grace Hopper', groups: [ADMIN_GROUP], password: CAMPUS_PASSWORD },
      { email: 'stranger@campus.test', name: 'A Stranger', groups: ['library'], password: CAMPUS_PASSWORD },
    ],
  });
  app = await startApp({ port, env: { ...idp.appEnv, LOCAL_PASSWORDS: 'admins' } });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await idp?.stop();
});

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
  });
  context.on('page', (p) => {
    p.on('console', (m) => {
      if (/CSP violation/.test(m.text())) problems.push(`${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`${p.url()}: ${e.message}`));
  });
  return context;
}

const campusSignIn = (context: BrowserContext, email: string): Promise<Page> =>
  signInThroughIdp(context, app.baseUrl, idp.issuer, email, CAMPUS_PASSWORD);

async function sessionOf(page: Page): Promise<{ user?: { role: string; email: string } }> {
  return (await (await page.request.get(`${app.baseUrl}/api/auth/session`)).json()) as {
    user?: { role: string; email: string };
  };
}

describe('campus single sign-on in the browser', () => {
  it('signs a lecturer in through the IdP and lands on the dashboard as lecturer', async () => {
    const context = await newContext();
    const page = await campusSignIn(context, 'ada@campus.test');
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await sessionOf(page)).toMatchObject({ user: { email: 'ada@campus.test', role: 'lecturer' } });
    await expect(page.getByText('Ada Lovelace · lecturer').first().isVisible()).resolves.toBe(true);
    // An admin page is not for a lecturer.
    const users = await page.goto(`${app.baseUrl}/users`);
    expect(users?.status()).toBe(403);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('makes a member of the admin group an admin, who can open the users page', async () => {
    const context = await newContext();
    const page = await campusSignIn(context, 'grace@campus.test');
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await sessionOf(page)).toMatchObject({ user: { email: 'grace@campus.test', role: 'admin' } });
    const users = await page.goto(`${app.baseUrl}/users`);
    expect(users?.status()).toBe(200);
    await expect(page.getByText('ada@campus.test').first().isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a person with no mapped group and no account the "not registered here" page', async () => {
    const context = await newContext();
    const page = await campusSignIn(context, 'stranger@campus.test');
    await page.waitForURL(`${app.baseUrl}/login/refused?reason=not_registered`);
    await expect(page.getByRole('heading', { name: 'You are not registered here' }).isVisible()).resolves.toBe(true);
    expect((await sessionOf(page)).user).toBeUndefined();
    await context.close();
  });

  it('with LOCAL_PASSWORDS=admins refuses a lecturer password and lets the break-glass admin in', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByText('Administrator sign-in with a password').click();
    await page.fill('input[name=email]', DEMO_LECTURER_EMAIL);
    await page.fill('input[name=password]', app.passwords[DEMO_LECTURER_EMAIL]!);
    await page.click('button[type=submit]');
    await page.locator('form[aria-label="Sign in"] [role=alert]', { hasText: 'Wrong email or password.' }).waitFor();
    expect((await sessionOf(page)).user).toBeUndefined();

    await page.fill('input[name=email]', DEMO_ADMIN_EMAIL);
    await page.fill('input[name=password]', app.passwords[DEMO_ADMIN_EMAIL]!);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await sessionOf(page)).toMatchObject({ user: { role: 'admin' } });
    await context.close();
  });
});
