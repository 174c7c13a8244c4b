/** "Start now" on the live session page: runs from now for the planned length, refused beside a running class. */
import { describe, expect, it } from 'vitest';
import { startSessionNow } from '@/lib/data/session-admin';
import { getSessionOrThrow } from '@/lib/data/sessions';
import { makeCamera, makeCourse, makeSession } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

const MIN = 60_000;

describe('start now', () => {
  useThrowawayDatabase();

  it('starts a session due earlier now and keeps its planned length', async () => {
    const now = new Date();
    const s = await makeSession({
      startsAt: new Date(now.getTime() - 20 * MIN),
      endsAt: new Date(now.getTime() + 80 * MIN),
      room: `R${Date.now()}`,
    });
    const started = await startSessionNow(s.sessionId, null, now);
    expect(started.status).toBe('open');
    expect(started.startsAt.getTime()).toBe(now.getTime());
    expect(started.endsAt.getTime() - started.startsAt.getTime()).toBe(100 * MIN);
  });

  it('starts a later session now with its planned length; a running one is left as it is', async () => {
    const now = new Date();
    const later = await makeSession({
      startsAt: new Date(now.getTime() + 3 * 60 * MIN),
      endsAt: new Date(now.getTime() + 3 * 60 * MIN + 100 * MIN),
    });
    const started = await startSessionNow(later.sessionId, null, now);
    expect(started.endsAt.getTime()).toBe(now.getTime() + 100 * MIN);
    const again = await startSessionNow(later.sessionId, null, new Date(now.getTime() + 10 * MIN));
    expect(again.startsAt.getTime()).toBe(now.getTime());
  });

  it('is refused while another session runs in the same room or on the same camera', async () => {
    const now = new Date();
    const room = `A${Date.now()}`;
    const running = await makeCourse({ code: `RUN${Date.now() % 100000}` });
    const camera = await makeCamera({ mode: 'push' });
    await makeSession({
      courseId: running.courseId,
      room,
      cameraId: camera.cameraId,
      status: 'open',
      startsAt: new Date(now.getTime() - 5 * MIN),
      endsAt: new Date(now.getTime() + 60 * MIN),
    });
    const sameRoom = await makeSession({ room, startsAt: new Date(now.getTime() + 30 * MIN) });
    await expect(startSessionNow(sameRoom.sessionId, null, now)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(new RegExp(`${running.code} is running in room ${room} until \\d\\d:\\d\\d`)),
    });
    expect((await getSessionOrThrow(sameRoom.sessionId)).status).toBe('scheduled');
    const sameCamera = await makeSession({
      cameraId: camera.cameraId,
      room: 'elsewhere',
      startsAt: new Date(now.getTime() + 30 * MIN),
    });
    await expect(startSessionNow(sameCamera.sessionId, null, now)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('on the same camera'),
    });
    // Another room, another camera: fine.
    const elsewhere = await makeSession({ room: `B${Date.now()}`, startsAt: new Date(now.getTime() + 30 * MIN) });
    await expect(startSessionNow(elsewhere.sessionId, null, now)).resolves.toMatchObject({ status: 'open' });
  });

  it('refuses a cancelled session', async () => {
    const s = await makeSession({ status: 'cancelled' });
    await expect(startSessionNow(s.sessionId, null)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
