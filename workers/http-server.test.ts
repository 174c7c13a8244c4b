import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, startWorkerHttpServer } from './http-server';

const TOKEN = 'worker-http-internal-token-0123';
/** This machine's address on a network (not loopback): a caller from there is "another host". */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('worker HTTP server', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('binds loopback by default, answers 500 when a handler throws, and keeps serving', async () => {
    const errors: unknown[] = [];
    const server = await startWorkerHttpServer({
      port: 0,
      registry: new Registry(),
      internalToken: TOKEN,
      health: async () => {
        throw new Error('db password=secret in a driver message');
      },
      handle: (req) => {
        if (req.url === '/boom') throw new URIError('URI malformed');
        return false;
      },
      onError: (err) => errors.push(err),
    });
    close = () => closeServer(server);
    const { address, port } = server.address() as AddressInfo;
    expect(address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: 'internal error' });
    // Still up, and an error's detail (here a password) never reaches an anonymous caller.
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(500);
    expect(await health.text()).not.toContain('secret');
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect(errors).toHaveLength(2);
  });

  it.skipIf(!lanAddress)(
    '/healthz and /metrics need the internal token (or METRICS_TOKEN) from a non-loopback peer, not from loopback',
    async () => {
      const server = await startWorkerHttpServer({
        port: 0,
        host: '0.0.0.0',
        registry: new Registry(),
        internalToken: TOKEN,
        metricsToken: 'metrics-token-0123456789',
        health: async () => ({ status: 'ok' }) as never,
      });
      close = () => closeServer(server);
      const { port } = server.address() as AddressInfo;
      const lan = `http://${lanAddress}:${port}`;
      for (const path of ['/healthz', '/metrics']) {
        const refused = await fetch(`${lan}${path}`);
        expect(refused.status).toBe(401);
        expect((await refused.json()).error).toMatch(/x-internal-token/);
        expect(
          (await fetch(`${lan}${path}`, { headers: { 'x-internal-token': 'wrong-token-wrong-token-0' } })).status,
        ).toBe(401);
        expect((await fetch(`${lan}${path}`, { headers: { 'x-internal-token': TOKEN } })).status).toBe(200);
        // The compose healthcheck runs inside the container, on loopback: no token needed.
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status).toBe(200);
      }
      const bearer = { authorization: 'Bearer metrics-token-0123456789' };
      expect((await fetch(`${lan}/metrics`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${lan}/healthz`, { headers: bearer })).status).toBe(401);
    },
  );
});
