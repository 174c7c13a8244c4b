/**
 * PATCH /api/cameras/:cameraId with each body the cameras page sends (app/(dashboard)/cameras/page.tsx:
 * the edit form, the liveness buttons, the mode button), through the real route wrapper and zod schema
 * against MariaDB. An edit changes only the fields it names: a rename used to turn a pull camera into a
 * push camera (`updateCameraBody` kept the create body's `mode` default).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Camera, UserRole } from '@/db/schema';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { makeCamera, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();
afterEach(() => void (signedIn = null));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function patch(cameraId: string, body: unknown): Promise<Response> {
  const { PATCH } = (await import('@/app/api/cameras/[cameraId]/route')) as unknown as { PATCH: Handler };
  return PATCH(
    new Request(`http://test/api/cameras/${cameraId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: 'http://test' },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ cameraId }) },
  );
}

async function asAdmin(): Promise<void> {
  const u = await makeUser({ role: 'admin' });
  signedIn = { id: u.userId, role: 'admin', email: u.email };
}

const kept = (c: Camera) => ({
  mode: c.mode,
  streamUrl: c.streamUrl,
  snapshotUrl: c.snapshotUrl,
  liveness: c.liveness,
});

describe('PATCH /api/cameras/:cameraId changes only the fields it names', () => {
  // The dashboard's edit bodies: the edit form (an empty URL field is left out; an empty room is null),
  // and one liveness button per other mode.
  const dashboardEdits: Array<[string, Record<string, unknown>]> = [
    ['edit form: rename', { name: 'renamed' }],
    ['edit form: name and room', { name: 'renamed again', room: 'B2' }],
    ['edit form: room cleared', { name: 'renamed again', room: null }],
    ['liveness button → off', { liveness: 'off' }],
    ['liveness button → block', { liveness: 'block' }],
    ['liveness button → flag', { liveness: 'flag' }],
  ];

  // Camera names are unique: each test's camera gets its own new name.
  const unique = (body: Record<string, unknown>, camera: Camera) =>
    'name' in body ? { ...body, name: `${String(body.name)} ${camera.cameraId}` } : body;

  it.each(dashboardEdits)('%s keeps a pull camera pull, with its URL and liveness', async (_label, edit) => {
    await asAdmin();
    const camera = await makeCamera({ mode: 'pull', streamUrl: 'http://10.0.0.7:81/stream', liveness: 'block' });
    const body = unique(edit, camera);
    const res = await patch(camera.cameraId, body);
    expect(res.status).toBe(200);
    const after = await getCameraOrThrow(camera.cameraId);
    expect(after).toMatchObject(body);
    const untouched = Object.fromEntries(Object.entries(kept(camera)).filter(([k]) => !(k in body)));
    expect(kept(after)).toMatchObject(untouched);
    expect(after.mode).toBe('pull');
    expect(after.streamUrl).toBe('http://10.0.0.7:81/stream');
  });

  it.each(dashboardEdits)('%s keeps a push camera push', async (_label, edit) => {
    await asAdmin();
    const camera = await makeCamera({ mode: 'push', liveness: 'off' });
    const body = unique(edit, camera);
    expect((await patch(camera.cameraId, body)).status).toBe(200);
    const after = await getCameraOrThrow(camera.cameraId);
    expect(after.mode).toBe('push');
    expect(after.liveness).toBe('liveness' in body ? body.liveness : 'off');
  });

  it('the edit form with a new stream URL changes the URL and nothing else', async () => {
    await asAdmin();
    const camera = await makeCamera({ mode: 'pull', streamUrl: 'http://10.0.0.7:81/stream', liveness: 'off' });
    expect(
      (await patch(camera.cameraId, { name: camera.name, room: 'A1', streamUrl: 'http://10.0.0.8/s' })).status,
    ).toBe(200);
    expect(kept(await getCameraOrThrow(camera.cameraId))).toEqual({
      mode: 'pull',
      streamUrl: 'http://10.0.0.8/s',
      snapshotUrl: null,
      liveness: 'off',
    });
  });

  it('the mode button changes the mode and keeps the URL and liveness', async () => {
    await asAdmin();
    const camera = await makeCamera({ mode: 'pull', streamUrl: 'http://10.0.0.7:81/stream', liveness: 'block' });
    expect((await patch(camera.cameraId, { mode: 'push' })).status).toBe(200);
    expect(kept(await getCameraOrThrow(camera.cameraId))).toEqual({
      mode: 'push',
      streamUrl: 'http://10.0.0.7:81/stream',
      snapshotUrl: null,
      liveness: 'block',
    });
  });

  it('an empty body changes nothing', async () => {
    await asAdmin();
    const camera = await makeCamera({ mode: 'pull', streamUrl: 'http://10.0.0.7:81/stream', liveness: 'block' });
    expect((await patch(camera.cameraId, {})).status).toBe(200);
    expect(kept(await getCameraOrThrow(camera.cameraId))).toEqual(kept(camera));
  });
});
