/** The notification watcher against a real MariaDB and a local recording HTTP server. */
import { createHmac } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { attendances } from '@/db/schema';
import { markCameraSeen } from '@/lib/data/cameras';
import { enrollStudent } from '@/lib/data/courses';
import { slackChannel, webhookChannel } from '@/lib/notifications/channels';
import { checkNotifications, type WatchOptions } from '@/lib/notifications/notification-watch';
import { Notifier } from '@/lib/notifications/notifier';
import { makeCamera, makeCourse, makeSession, makeStudent } from '@/test/factories';
import { startRecordingServer, type RecordingServer } from '@/test/helpers/recording-server';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();
const SECRET = 'integration-webhook-secret';
let server: RecordingServer;

beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(async () => {
  await server?.close();
});

const bodies = (path: string) =>
  server.requests.filter((r) => r.url === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('notification watcher', () => {
  it('announces a closed session once with present/late/absent counts, and an offline camera once per outage', async () => {
    const notifier = new Notifier([webhookChannel(`${server.url}/hook`, SECRET), slackChannel(`${server.url}/slack`)], {
      log: pino({ level: 'silent' }),
      baseDelayMs: 5,
      allowedHosts: ['127.0.0.1'],
    });
    const opts: WatchOptions = { notifier, offlineMinutes: 5, arrivals: true, log: pino({ level: 'silent' }) };
    const state = { arrivalsAfter: new Date(Date.now() - 60 * 60_000) };
    const course = await makeCourse({ code: 'NOTE1' });
    const people = [
      await makeStudent({ name: 'Ada' }),
      await makeStudent({ name: 'Bo' }),
      await makeStudent({ name: 'Cy' }),
    ];
    for (const p of people) await enrollStudent(course.courseId, p.studentId);
    const now = new Date();
    const session = await makeSession({
      courseId: course.courseId,
      startsAt: new Date(now.getTime() - 120 * 60_000),
      endsAt: new Date(now.getTime() - 30 * 60_000),
      status: 'closed',
    });
    const at = new Date(now.getTime() - 100 * 60_000);
    await getDb()
      .insert(attendances)
      .values([
        {
          sessionId: session.sessionId,
          studentId: people[0]!.studentId,
          timestamp: at,
          lastSeen: at,
          status: 'present',
        },
        { sessionId: session.sessionId, studentId: people[1]!.studentId, timestamp: at, lastSeen: at, status: 'late' },
      ]);
    const camera = await makeCamera({ name: 'Hall cam', room: 'H1' });
    await markCameraSeen(camera.cameraId, 'online', new Date(now.getTime() - 10 * 60_000));
    await makeCamera({ name: 'Never seen' }); // no last_seen_at: not "offline", just not installed yet

    expect(await checkNotifications(opts, state, now)).toBe(4); // session + camera + 2 arrivals
    expect(await checkNotifications(opts, state, now)).toBe(0);
    await notifier.idle();

    const hooks = bodies('/hook');
    expect(hooks.map((b) => b.type).sort()).toEqual([
      'attendance.arrival',
      'attendance.arrival',
      'camera.offline',
      'session.closed',
    ]);
    expect(hooks.find((b) => b.type === 'session.closed')).toMatchObject({
      courseCode: 'NOTE1',
      counts: { enrolled: 3, present: 1, late: 1, absent: 1 },
    });
    expect(hooks.find((b) => b.type === 'camera.offline')).toMatchObject({ cameraName: 'Hall cam', minutes: 10 });
    for (const r of server.requests.filter((x) => x.url === '/hook')) {
      expect(r.headers['x-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    }
    expect(bodies('/slack').map((b) => b.text)).toContain(
      'Attendance closed for NOTE1 ' +
        course.courseName +
        ` (${session.startsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC): 1 present, 1 late, 1 absent of 3.`,
    );

    // Back online, then quiet again: a new outage, a new message.
    const later = new Date(now.getTime() + 20 * 60_000);
    await markCameraSeen(camera.cameraId, 'online', new Date(now.getTime() + 1_000));
    expect(await checkNotifications(opts, state, later)).toBe(1);
    await notifier.close();
  });

  it('a dead endpoint never makes the check throw or wait', async () => {
    const notifier = new Notifier([slackChannel('http://127.0.0.1:9/down')], {
      log: pino({ level: 'silent' }),
      baseDelayMs: 5,
      attempts: 2,
      allowedHosts: ['127.0.0.1'],
    });
    const course = await makeCourse();
    await makeSession({
      courseId: course.courseId,
      startsAt: new Date(Date.now() - 3 * 3_600_000),
      endsAt: new Date(Date.now() - 3_600_000),
    });
    const t0 = performance.now();
    await expect(
      checkNotifications(
        { notifier, offlineMinutes: 5, arrivals: false, log: pino({ level: 'silent' }) },
        { arrivalsAfter: new Date() },
      ),
    ).resolves.toBeGreaterThanOrEqual(1);
    expect(performance.now() - t0).toBeLessThan(2_000);
    await notifier.close(500);
  });
});
