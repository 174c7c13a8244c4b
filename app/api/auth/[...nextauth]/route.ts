import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/options';
import { runSignIn } from '@/lib/auth/sign-in-refusal';

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// Options are built on the first request, so `next build` never needs AUTH_SECRET or the database.
const handler: Handler = (req, ctx) => (NextAuth(getAuthOptions()) as Handler)(req, ctx);

/**
 * The brute-force limit and the sign-in audit live in `authorize()` (lib/auth/options.ts), so they see
 * every path and body shape Auth.js accepts. Auth.js reports an error thrown there as a 401; when the
 * limit refused the attempt this answers 429 with Retry-After instead (and, for the sign-in form, a
 * `url` carrying the error as Auth.js's client expects).
 */
const post: Handler = async (req, ctx) => {
  const { result, retryAfterSeconds } = await runSignIn(() => handler(req, ctx), req.headers);
  if (retryAfterSeconds === undefined) return result;
  const url = new URL('/login', req.url);
  url.searchParams.set('error', 'TooManyAttempts');
  return Response.json(
    {
      error: `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      retryAfterSeconds,
      url: url.toString(),
    },
    { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
  );
};

/** The OIDC callback arrives as a GET: its audit reads the client IP from the request's headers. */
const get: Handler = async (req, ctx) => (await runSignIn(() => handler(req, ctx), req.headers)).result;

export { get as GET, post as POST };
