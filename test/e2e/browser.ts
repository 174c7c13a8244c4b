/** Debian's Chromium for the browser tests (never a downloaded browser), and signing in through the real form. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (never download a browser)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A new page of `context`, signed in through /login as `email`, on the overview. */
export async function signIn(context: BrowserContext, baseUrl: string, email: string, password: string): Promise<Page> {
  const p = await context.newPage();
  await p.goto(`${baseUrl}/login`);
  await p.fill('input[name=email]', email);
  await p.fill('input[name=password]', password);
  await p.click('button[type=submit]');
  await p.waitForURL(`${baseUrl}/`);
  return p;
}

/** A new page of `context` that pressed "Sign in with Test Campus" on /login and filled in the test IdP's form. */
export async function signInThroughIdp(
  context: BrowserContext,
  baseUrl: string,
  issuer: string,
  email: string,
  password: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('button', { name: 'Sign in with Test Campus' }).click();
  await page.waitForURL(`${issuer}/interaction/**`);
  await page.fill('input[name=login]', email);
  await page.fill('input[name=password]', password);
  await page.getByRole('button', { name: 'Sign in to campus' }).click();
  return page;
}
