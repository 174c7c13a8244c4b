/**
 * Where to go after signing in: only a path (+ query) on this app. The value is resolved against a
 * placeholder origin exactly as a browser would resolve it, and the path that comes out is checked
 * again: dot segments (`/.//evil.example` → `//evil.example`), backslashes (`/\evil.example`),
 * encoded slashes (`/%2F%2Fevil.example`), tabs and newlines (`/%09/evil.example`) are all ways a
 * path becomes another host in some browser or after one more decoding step, so any of them is refused.
 */
const ORIGIN = 'http://app.invalid';

export function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith('/')) return '/';
  const out = resolvePath(v);
  // A safe answer resolves to itself: nothing left that a second pass (a browser, a router) would turn into a host.
  if (out === null || resolvePath(out) !== out) return '/';
  for (const s of [v, out]) {
    const decoded = decodeFully(s);
    if (decoded.startsWith('//') || decoded.includes('\\') || hasControlCharacter(decoded) || !resolvePath(decoded))
      return '/';
  }
  return out;
}

/** `value` resolved on this app's origin as path + query, or null when it names another origin. */
function resolvePath(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN) return null;
  const out = `${url.pathname}${url.search}`;
  return out.startsWith('//') ? null : out;
}

/** Percent-decoding repeated until nothing changes (a few rounds at most), so `%252F` counts as `/`. */
function decodeFully(s: string): string {
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(s);
    } catch {
      return s;
    }
    if (next === s) return s;
    s = next;
  }
  return s;
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  return false;
}
