/**
 * A fresh CSP nonce for every page request: Next.js reads it from the request's
 * Content-Security-Policy header and puts it on its own script tags, and the response carries the
 * same policy, so only those scripts (and what they load) run — no 'unsafe-inline'. Pages are
 * rendered per request anyway (they read the session). Static files and the API keep next.config.ts's
 * policy without a nonce.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, cspNonce } from '@/lib/security-headers';

export function proxy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(process.env.NODE_ENV !== 'production', cspNonce());
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: ['/((?!api/|_next/static/|_next/image|favicon.ico).*)'],
};
