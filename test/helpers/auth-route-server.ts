/**
 * The app's real `/api/auth/[...nextauth]` handler behind a Node HTTP server on loopback, with the
 * socket-address hook the web server installs from instrumentation.ts: sign-in tests talk to it over
 * real HTTP, as a browser or an attacker would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { appendSocketAddress } from '@/lib/auth/client-ip';
import { callRoute } from './auth-requests';

export interface AuthRouteServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

export async function startAuthRouteServer(): Promise<AuthRouteServer> {
  appendSocketAddress();
  const { GET, POST } = await import('@/app/api/auth/[...nextauth]/route');
  let base = '';
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, base);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, [v].flat().join(', '));
    const request = new NextRequest(url, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    const nextauth = url.pathname.replace(/^\/api\/auth\//, '').split('/');
    const r = await callRoute(req.method === 'POST' ? POST : GET, request, { nextauth });
    res.statusCode = r.status;
    r.headers.forEach((v, k) => k !== 'set-cookie' && res.setHeader(k, v));
    if (r.headers.getSetCookie().length) res.setHeader('set-cookie', r.headers.getSetCookie());
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}
