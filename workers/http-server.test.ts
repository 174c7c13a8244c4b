import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, startWorkerHttpServer } from './http-server';

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
});
