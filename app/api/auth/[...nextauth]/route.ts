import NextAuth from 'next-auth';
import { clientIp, loginLimiter } from '@/lib/auth/login-limit';
import { getAuthOptions } from '@/lib/auth/options';
import { auditSignIn } from '@/lib/auth/sign-in-audit';

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// Options are built on the first request, so `next build` never needs AUTH_SECRET or the database.
const handler: Handler = (req, ctx) => (NextAuth(getAuthOptions()) as Handler)(req, ctx);

/**
 * Sign-in with email + password goes through the brute-force limit (lib/auth/login-limit.ts): while
 * an email or IP is over it, 429 with Retry-After (and, for the sign-in form, a `url` carrying the
 * error as Auth.js's client expects). A response that sets the session cookie is a success. Every
 * attempt is audited (lib/auth/sign-in-audit.ts): who signed in, or the email and IP that failed.
 */
const post: Handler = async (req, ctx) => {
  const { nextauth } = await ctx.params;
  if (nextauth.join('/') !== 'callback/credentials') return handler(req, ctx);
  const form = new URLSearchParams(await req.clone().text());
  const email = form.get('email') ?? '',
    ip = clientIp(req.headers);
  const wait = await loginLimiter.retryAfter(email, ip);
  if (wait > 0) {
    await auditSignIn({ email, ip, outcome: 'rate_limited' });
    const url = new URL('/login', req.url);
    url.searchParams.set('error', 'TooManyAttempts');
    return Response.json(
      {
        error: `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`,
        retryAfterSeconds: wait,
        url: url.toString(),
      },
      { status: 429, headers: { 'retry-after': String(wait) } },
    );
  }
  const res = await handler(req, ctx);
  const signedIn = res.headers.getSetCookie().some((c) => /session-token=[^;]+/.test(c));
  if (signedIn) await loginLimiter.succeeded(email, ip);
  else await loginLimiter.failed(email, ip);
  await auditSignIn({ email, ip, outcome: signedIn ? 'signed_in' : 'failed' });
  return res;
};

export { handler as GET, post as POST };
