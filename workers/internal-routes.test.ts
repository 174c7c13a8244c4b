import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '@/lib/camera/types';
import { INTERNAL_TOKEN_HEADER } from '@/lib/devices/internal-frames';
import { internalRoutes } from './internal-routes';

const TOKEN = 'internal-token-for-tests-0123';
const pushed: Frame[] = [];
let pushCameras = new Set(['cam-push']);
let server: Server;
let base: string;

beforeAll(async () => {
  const handle = internalRoutes({
    internalToken: TOKEN,
    maxPushBytes: 1_000,
    pushSource: (id) => (pushCameras.has(id) ? { push: (f) => pushed.push(f) > 0 } : undefined),
    lastFrame: (id) =>
      id === 'cam-push' ? { jpeg: Buffer.from([1]), at: Date.UTC(2025, 0, 1), faces: [] } : undefined,
    renderLastFrame: async () => Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
  });
  server = createServer((req, res) => void (handle(req, res) || res.writeHead(404, { 'x-fallthrough': '1' }).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const auth = { [INTERNAL_TOKEN_HEADER]: TOKEN };
const post = (path: string, body: Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    body: body as BodyInit,
    headers: { 'content-type': 'image/jpeg', ...auth, ...headers },
  });

describe('worker internal routes', () => {
  it('queues a pushed frame for a push camera processed here, and refuses everything else in plain words', async () => {
    const res = await post('/internal/frames/cam-push', new Uint8Array([0xff, 0xd8, 7]));
    expect(res.status).toBe(202);
    expect(pushed.at(-1)).toMatchObject({ cameraId: 'cam-push', jpeg: Buffer.from([0xff, 0xd8, 7]) });
    expect((await post('/internal/frames/other', new Uint8Array([1]))).status).toBe(404);
    expect(
      (await post('/internal/frames/cam-push', new Uint8Array([1]), { [INTERNAL_TOKEN_HEADER]: 'wrong' })).status,
    ).toBe(401);
    expect(
      (await post('/internal/frames/cam-push', new Uint8Array([1]), { 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect((await post('/internal/frames/cam-push', new Uint8Array(2_000))).status).toBe(413);
    const bad = await post('/internal/frames/%ZZ', new Uint8Array([1]));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'the camera id in the path is not valid URL encoding' });
    expect((await fetch(`${base}/internal/frames/cam-push`, { headers: auth })).status).toBe(405);
  });

  it('answers 404 once the camera has moved to another worker', async () => {
    pushCameras = new Set();
    expect((await post('/internal/frames/cam-push', new Uint8Array([1]))).status).toBe(404);
    pushCameras = new Set(['cam-push']);
  });

  it('serves the last frame as JPEG with its time; 404 before the first; token first', async () => {
    const res = await fetch(`${base}/internal/cameras/cam-push/last-frame`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-frame-at')).toBe('2025-01-01T00:00:00.000Z');
    expect((await fetch(`${base}/internal/cameras/none/last-frame`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/internal/cameras/%ZZ/last-frame`)).status).toBe(401);
    expect((await fetch(`${base}/internal/cameras/%ZZ/last-frame`, { headers: auth })).status).toBe(400);
  });

  it('leaves other paths to the next handler', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.headers.get('x-fallthrough')).toBe('1');
  });
});
