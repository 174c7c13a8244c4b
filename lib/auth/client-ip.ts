/**
 * The client address for the sign-in limit. Next.js sets X-Forwarded-For to the socket's address
 * only when the request has none, so a client could name any address it likes. The web server
 * therefore appends the socket's address to X-Forwarded-For on every request, as a proxy would
 * (`appendSocketAddress`, installed from instrumentation.ts), and the client IP is read that many hops
 * from the right: the socket itself with no trusted proxy, else the address the outermost trusted
 * proxy received from. Whatever a client writes further left is never used.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

const INSTALLED = Symbol.for('attendance.append-socket-address');

/** `::ffff:203.0.113.7` → `203.0.113.7`, so one client counts as one address. */
export function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(a) ? a.slice(7) : a;
}

/**
 * Appends each HTTP request's socket address to its X-Forwarded-For before Next.js sees the request
 * (Node's `http.server.request.start` diagnostics channel runs before the server's request handler).
 * Idempotent; returns false when it was already installed in this process.
 */
export function appendSocketAddress(): boolean {
  const g = globalThis as { [INSTALLED]?: true };
  if (g[INSTALLED]) return false;
  g[INSTALLED] = true;
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const peer = socket.remoteAddress;
    if (!peer) return;
    const forwarded = request.headers['x-forwarded-for'];
    const prior = Array.isArray(forwarded) ? forwarded.join(', ') : forwarded;
    request.headers['x-forwarded-for'] = prior ? `${prior}, ${peer}` : peer;
  });
  return true;
}

/** The client address: the X-Forwarded-For hop `trustedProxies` places from the right (the left-most if the chain is shorter). */
export function clientIp(
  headers: Headers | Record<string, string | string[] | undefined>,
  trustedProxies: number,
): string {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers['x-forwarded-for'];
  const hops = (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length === 0) return 'unknown';
  return normaliseAddress(hops[Math.max(0, hops.length - 1 - trustedProxies)]!);
}
