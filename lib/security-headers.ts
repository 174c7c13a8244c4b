/**
 * Response headers for every page and API route (next.config.ts `headers()`). The CSP fits what the
 * app does: only scripts carrying this response's nonce run, and the scripts they load
 * ('strict-dynamic'; proxy.ts makes a nonce per page request and Next.js puts it on its own script
 * tags) — never an injected inline script or event handler; `next dev` also needs 'unsafe-eval'.
 * Inline styles (Recharts, Tailwind), photos from its own API and blob:/data: previews, fetch/SSE to
 * itself only, never framed. No third-party origin is needed: nothing is fetched from a CDN. Responses
 * that are not pages (API, files) get the same policy without a nonce: no script runs from them.
 */
export type HeaderRule = {
  source: string;
  headers: Array<{ key: string; value: string }>;
  has?: Array<{ type: 'header'; key: string; value: string }>;
};

export function contentSecurityPolicy(dev: boolean, nonce?: string): string {
  const scripts = nonce ? `'self' 'nonce-${nonce}' 'strict-dynamic'` : "'self'";
  return [
    "default-src 'self'",
    `script-src ${scripts}${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaderRules(dev: boolean): HeaderRule[] {
  return [
    {
      source: '/:path*',
      headers: [
        { key: 'Content-Security-Policy', value: contentSecurityPolicy(dev) },
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        { key: 'X-Frame-Options', value: 'DENY' },
      ],
    },
    // HSTS only on requests that reached us over https (the TLS proxy in front says so); a browser
    // ignores it over http anyway, and a plain-http install must not be told to refuse http.
    {
      source: '/:path*',
      has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
      headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }],
    },
  ];
}

/** A fresh CSP nonce: 128 random bits, base64. */
export function cspNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
