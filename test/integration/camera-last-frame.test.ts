/**
 * GET /api/cameras/:cameraId/last-frame through the real route wrapper and session check, against a
 * fake worker HTTP server that answers the internal last-frame request as the real worker does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { cameraIdFromLastFramePath } from '@/lib/devices/internal-last-frame';
import { INTERNAL_TOKEN_HEADER } from '@/lib/devices/internal-frames';
import { resetEnvCache } from '@/lib/env';
import { makeCamera, makeCourse, makeSession, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const TOKEN = 'test-internal-token-0123456789';
let worker: Server;
let jpeg: Buffer;
const seen: Array<{ path: string; token: string | undefined }> = [];
const saved = { WORKER_URL: process.env.WORKER_URL, INTERNAL_TOKEN: process.env.INTERNAL_TOKEN };

async function get(cameraId: string): Promise<Response> {
  const { GET } = (await import('@/app/api/cameras/[cameraId]/last-frame/route')) as unknown as { GET: Handler };
  return GET(new Request(`http://test/api/cameras/${cameraId}/last-frame`), { params: Promise.resolve({ cameraId }) });
}

async function signIn(role: UserRole) {
  const u = await makeUser({ role });
  signedIn = { id: u.userId, role, email: u.email };
}

beforeAll(async () => {
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  worker = createServer((req, res) => {
    const cameraId = cameraIdFromLastFramePath(req.url ?? '/');
    const token = req.headers[INTERNAL_TOKEN_HEADER] as string | undefined;
    seen.push({ path: req.url ?? '', token });
    if (token !== TOKEN) return res.writeHead(401).end();
    if (!cameraId || !('cameraId' in cameraId) || cameraId.cameraId !== 'cam-with-frame')
      return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no frame yet"}');
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  process.env.WORKER_URL = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
  process.env.INTERNAL_TOKEN = TOKEN;
  resetEnvCache();
});

afterAll(async () => {
  worker.closeAllConnections();
  await new Promise((resolve) => worker.close(resolve));
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

describe('GET /api/cameras/:cameraId/last-frame', () => {
  it('proxies the JPEG with no-store, sending the internal token', async () => {
    await signIn('admin');
    const res = await get('cam-with-frame');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), jpeg)).toBe(0);
    expect(seen.at(-1)).toEqual({ path: '/internal/cameras/cam-with-frame/last-frame', token: TOKEN });
  });

  it('404 when the worker has no frame for the camera yet', async () => {
    await signIn('admin');
    const res = await get('cam-without-frame');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('NOT_FOUND');
  });

  it('403 for a lecturer, without asking the worker', async () => {
    await signIn('lecturer');
    const before = seen.length;
    expect((await get('cam-with-frame')).status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it('403 for the lecturer of a session on this camera: frames show the whole room, only admins see them', async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    signedIn = { id: lecturer.userId, role: 'lecturer', email: lecturer.email };
    const camera = await makeCamera({ room: 'F1' });
    await makeSession({
      courseId: (await makeCourse({ lecturerId: lecturer.userId, room: 'F1' })).courseId,
      cameraId: camera.cameraId,
      status: 'open',
    });
    const before = seen.length;
    const res = await get(camera.cameraId);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/role/);
    expect(seen.length).toBe(before);
  });

  it('503 when the worker is unreachable', async () => {
    await signIn('admin');
    worker.closeAllConnections();
    await new Promise((resolve) => worker.close(resolve));
    worker.listen(0); // a fresh listener for afterAll's close; the old port now refuses
    const res = await get('cam-with-frame');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('UNAVAILABLE');
  });
});
