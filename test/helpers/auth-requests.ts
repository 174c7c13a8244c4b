/**
 * Real Auth.js sign-ins and cookie sessions for integration tests, without a Next.js server: the
 * app's own `/api/auth/[...nextauth]` handler issues the cookies, and route handlers read them back
 * through `next/headers`. Outside a Next request there is no request scope for `cookies()` and
 * `headers()`, so this helper puts a stand-in for that one module in Node's require cache (next-auth
 * loads it with `require`); everything else — CSRF token, credentials callback, JWT, the jwt callback's
 * session check — is the real code path.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { NextRequest } from 'next/server';

export const BASE_URL = 'http://localhost:3000';

type Scope = { cookies: Map<string, string>; headers: Headers };
let current: Scope = { cookies: new Map<string, string>(), headers: new Headers() };
// Requests handled at the same time (a parallel burst) each see their own cookies and headers.
const scopes = new AsyncLocalStorage<Scope>();
const scope = () => scopes.getStore() ?? current;

function useRequest(req: Request): Scope {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) cookies.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  current = { cookies, headers: new Headers(req.headers) };
  return current;
}

const nextHeaders = {
  cookies: async () => {
    const { cookies } = scope();
    return {
      getAll: () => [...cookies].map(([name, value]) => ({ name, value })),
      get: (name: string) => (cookies.has(name) ? { name, value: cookies.get(name)! } : undefined),
      has: (name: string) => cookies.has(name),
    };
  },
  headers: async () => scope().headers,
};

const require = createRequire(import.meta.url);
const headersPath = createRequire(require.resolve('next-auth/next')).resolve('next/headers');
require.cache[headersPath] = {
  id: headersPath,
  filename: headersPath,
  loaded: true,
  exports: nextHeaders,
} as unknown as NodeJS.Module;

/** A browser's cookies for this app: absorbs Set-Cookie (including deletions) and sends them back. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  absorb(res: Response): this {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(),
        value = pair.slice(i + 1).trim();
      const expired =
        value === '' ||
        attrs.some(
          (a) =>
            /^\s*max-age=0\s*$/i.test(a) ||
            (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()),
        );
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  hasSession(): boolean {
    return [...this.cookies.keys()].some((k) => k.endsWith('next-auth.session-token'));
  }
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/** Calls a route handler as Next would for `req`, with `req`'s cookies and headers as the request scope. */
export function callRoute(handler: unknown, req: Request, params: Record<string, unknown> = {}): Promise<Response> {
  return scopes.run(useRequest(req), () => (handler as Handler)(req, { params: Promise.resolve(params) }));
}

/** A request from the signed-in browser `jar` (JSON body, same-origin as the dashboard's own fetches). */
export function jsonRequest(jar: CookieJar, method: string, path: string, body?: unknown): Request {
  const headers: Record<string, string> = { cookie: jar.header(), origin: BASE_URL };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Request(`${BASE_URL}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const authRoute = () => import('@/app/api/auth/[...nextauth]/route') as Promise<{ GET: unknown; POST: unknown }>;

/** Signs in through the login form's own calls (CSRF token, then the credentials callback). */
export async function signIn(
  email: string,
  password: string,
): Promise<{ status: number; jar: CookieJar; body: { url?: string; error?: string } }> {
  const { GET, POST } = await authRoute();
  const jar = new CookieJar();
  const csrf = await callRoute(GET, new NextRequest(`${BASE_URL}/api/auth/csrf`), { nextauth: ['csrf'] });
  jar.absorb(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const req = new NextRequest(`${BASE_URL}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', origin: BASE_URL },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
  });
  const res = await callRoute(POST, req, { nextauth: ['callback', 'credentials'] });
  jar.absorb(res);
  return { status: res.status, jar, body: (await res.json().catch(() => ({}))) as { url?: string; error?: string } };
}

/** What the browser's `useSession()` would get: GET /api/auth/session with the jar's cookies (the jar absorbs the answer). */
export async function sessionOf(jar: CookieJar): Promise<Record<string, unknown>> {
  const { GET } = await authRoute();
  const res = await callRoute(
    GET,
    new NextRequest(`${BASE_URL}/api/auth/session`, { headers: { cookie: jar.header() } }),
    { nextauth: ['session'] },
  );
  jar.absorb(res);
  return (await res.json()) as Record<string, unknown>;
}
