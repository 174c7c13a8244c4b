import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appendSocketAddress, clientIp } from './client-ip';

describe('clientIp', () => {
  const xff = (v: string) => new Headers({ 'x-forwarded-for': v });

  it('with no trusted proxy takes the right-most hop (the socket), never what the client wrote', () => {
    expect(clientIp(xff('198.51.100.4, 10.0.0.1'), 0)).toBe('10.0.0.1');
    expect(clientIp(xff('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
    expect(clientIp({ 'x-forwarded-for': '1.1.1.1,2.2.2.2' }, 0)).toBe('2.2.2.2');
  });

  it('with N trusted proxies takes the hop N from the right, and the left-most when the chain is shorter', () => {
    expect(clientIp(xff('6.6.6.6, 198.51.100.4, 10.0.0.1'), 1)).toBe('198.51.100.4');
    expect(clientIp(xff('6.6.6.6, 198.51.100.4, 10.0.0.2, 10.0.0.1'), 2)).toBe('198.51.100.4');
    expect(clientIp(xff('10.0.0.1'), 3)).toBe('10.0.0.1');
    expect(clientIp(new Headers(), 0)).toBe('unknown');
  });
});

describe('appendSocketAddress', () => {
  it("appends each request's socket address to X-Forwarded-For before the server's handler sees it", async () => {
    appendSocketAddress();
    expect(appendSocketAddress()).toBe(false);
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await fetch(url, { headers: { 'x-forwarded-for': '6.6.6.6' } });
      await fetch(url);
    } finally {
      server.close();
    }
    expect(seen.map((h) => h['x-forwarded-for'])).toEqual(['6.6.6.6, 127.0.0.1', '127.0.0.1']);
    expect(clientIp({ 'x-forwarded-for': seen[0]!['x-forwarded-for'] }, 0)).toBe('127.0.0.1');
  });
});
