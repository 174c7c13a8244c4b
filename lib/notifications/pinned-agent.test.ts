import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationAgent, pinnedLookup, TARGET_REFUSED } from './pinned-agent';
import type { ResolveAll } from './target-guard';

const none = new Set<string>();
const answers =
  (...addresses: string[]): ResolveAll =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('the delivery agent connects only to addresses it checked', () => {
  let server: http.Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.close();
  });

  const post = async (url: string, agent: ReturnType<typeof notificationAgent>) => {
    try {
      const res = await fetch(url, { method: 'POST', body: '{}', dispatcher: agent });
      return { status: res.status };
    } catch (err) {
      return { error: (err as { cause?: NodeJS.ErrnoException }).cause };
    } finally {
      await agent.close();
    }
  };

  it('refuses a host name that resolves to loopback, and connects there only when the host is allowed', async () => {
    const refused = await post(`http://receiver.example:${port}/a`, notificationAgent(none, answers('127.0.0.1')));
    expect(refused.error?.code).toBe(TARGET_REFUSED);
    expect(refused.error?.message).toMatch(/receiver\.example resolves to the internal address 127\.0\.0\.1/);
    // The same answer for an allowed host: the connection goes to exactly the address the lookup gave.
    const allowed = await post(
      `http://receiver.example:${port}/b`,
      notificationAgent(new Set(['receiver.example']), answers('127.0.0.1')),
    );
    expect(allowed.status).toBe(200);
    expect(hits).toEqual(['/b']);
  });

  it('refuses a mixed answer (one public, one internal) and an internal IP literal in any spelling', async () => {
    const mixed = await post(`http://receiver.example:${port}/c`, notificationAgent(none, answers('8.8.8.8', '::1')));
    expect(mixed.error?.code).toBe(TARGET_REFUSED);
    for (const host of ['[::ffff:7f00:1]', '2130706433', '127.1']) {
      const literal = await post(`http://${host}:${port}/d`, notificationAgent(none, answers('8.8.8.8')));
      expect(literal.error?.code, host).toBe(TARGET_REFUSED);
    }
    expect(hits).not.toContain('/c');
    expect(hits).not.toContain('/d');
  });

  it('fails closed when the lookup fails or answers nothing', async () => {
    const broken: ResolveAll = async () => {
      throw Object.assign(new Error('queryA ESERVFAIL receiver.example'), { code: 'ESERVFAIL' });
    };
    expect((await post(`http://receiver.example:${port}/e`, notificationAgent(none, broken))).error?.code).toBe(
      'ESERVFAIL',
    );
    expect((await post(`http://receiver.example:${port}/f`, notificationAgent(none, answers()))).error?.code).toBe(
      'ENOTFOUND',
    );
    expect(hits).toEqual(['/b']);
  });

  it('hands net.connect the checked addresses in both lookup shapes', async () => {
    const lookup = pinnedLookup(none, answers('8.8.8.8', '2606:4700:4700::1111'));
    const one = await new Promise((resolve) =>
      lookup('hooks.example', { family: 6 }, (err, address, family) => resolve({ err, address, family })),
    );
    expect(one).toEqual({ err: null, address: '2606:4700:4700::1111', family: 6 });
    const all = await new Promise((resolve) =>
      lookup('hooks.example', { all: true }, (err, addresses) => resolve({ err, addresses })),
    );
    expect(all).toEqual({ err: null, addresses: await answers('8.8.8.8', '2606:4700:4700::1111')('') });
  });
});
