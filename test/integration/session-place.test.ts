/** Rooms and cameras hold one session at a time; lecturers schedule in their course's room. */
import { describe, expect, it } from 'vitest';
import { assertSessionPlace } from '@/lib/data/sessions';
import { makeCamera, makeCourse, makeSession } from '@/test/factories';
import { useThrowawayDatabase } from './throwaway-db';

const H = 3_600_000;
const admin = { role: 'admin' as const };
const lecturer = { role: 'lecturer' as const };

describe('session place rules', () => {
  useThrowawayDatabase();

  it('refuses a session overlapping another in the same room or on the same camera (409 naming it); back to back is fine', async () => {
    const room = `P${Date.now()}`;
    const course = await makeCourse({ code: `PL${Date.now() % 100000}`, room });
    const camera = await makeCamera({ mode: 'push' });
    const start = new Date(Date.now() + 48 * H);
    await makeSession({
      courseId: course.courseId,
      room,
      cameraId: camera.cameraId,
      startsAt: start,
      endsAt: new Date(start.getTime() + 2 * H),
    });
    const at = (h: number, len = 1) => ({
      startsAt: new Date(start.getTime() + h * H),
      endsAt: new Date(start.getTime() + (h + len) * H),
    });
    await expect(assertSessionPlace({ courseRoom: room, room, cameraId: null, ...at(1) }, admin)).rejects.toMatchObject(
      { code: 'CONFLICT', message: expect.stringContaining(`${course.code} already has room ${room}`) },
    );
    await expect(
      assertSessionPlace({ courseRoom: null, room: 'elsewhere', cameraId: camera.cameraId, ...at(1.5) }, admin),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the same camera') });
    await expect(
      assertSessionPlace({ courseRoom: room, room, cameraId: null, ...at(2) }, admin),
    ).resolves.toBeUndefined();
    await expect(
      assertSessionPlace({ courseRoom: room, room, cameraId: null, ...at(-1) }, admin),
    ).resolves.toBeUndefined();
  });

  it('a session does not clash with itself when it is edited, and cancelled sessions free the room', async () => {
    const room = `Q${Date.now()}`;
    const start = new Date(Date.now() + 72 * H);
    const s = await makeSession({ room, startsAt: start, endsAt: new Date(start.getTime() + H) });
    await expect(
      assertSessionPlace(
        {
          sessionId: s.sessionId,
          courseRoom: room,
          room,
          cameraId: null,
          startsAt: start,
          endsAt: new Date(start.getTime() + 2 * H),
        },
        admin,
      ),
    ).resolves.toBeUndefined();
    await makeSession({
      room,
      startsAt: new Date(start.getTime() + 5 * H),
      endsAt: new Date(start.getTime() + 6 * H),
      status: 'cancelled',
    });
    await expect(
      assertSessionPlace(
        {
          courseRoom: room,
          room,
          cameraId: null,
          startsAt: new Date(start.getTime() + 5 * H),
          endsAt: new Date(start.getTime() + 6 * H),
        },
        admin,
      ),
    ).resolves.toBeUndefined();
  });

  it("lets a lecturer use the course's room only; an admin may use any room", async () => {
    const when = { cameraId: null, startsAt: new Date(Date.now() + 96 * H), endsAt: new Date(Date.now() + 97 * H) };
    await expect(assertSessionPlace({ courseRoom: 'A101', room: 'B204', ...when }, lecturer)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining("the course's room, A101"),
    });
    await expect(assertSessionPlace({ courseRoom: 'A101', room: 'A101', ...when }, lecturer)).resolves.toBeUndefined();
    await expect(assertSessionPlace({ courseRoom: 'A101', room: 'B204', ...when }, admin)).resolves.toBeUndefined();
  });
});
