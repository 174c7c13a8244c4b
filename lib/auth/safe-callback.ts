/**
 * Where to go after signing in: only a path (+ query) on this app. The value is resolved against a
 * placeholder origin exactly as a browser would resolve it, so tricks like `/\evil.example`,
 * `/%09/evil.example` or `//evil.example` — which browsers turn into another host — are refused.
 */
const ORIGIN = 'http://app.invalid';

export function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(v, ORIGIN);
  } catch {
    return '/';
  }
  // Decoded, a backslash, a control character or a leading `//` is how a path becomes a host in some
  // browsers or after another decoding step.
  const decoded = decodeURIComponentSafe(v);
  if (url.origin !== ORIGIN || decoded.includes('\\') || hasControlCharacter(decoded) || decoded.startsWith('//'))
    return '/';
  return `${url.pathname}${url.search}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  return false;
}
