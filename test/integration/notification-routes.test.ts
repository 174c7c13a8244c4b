/**
 * Per-course and per-lecturer notification routes: the watcher against a real MariaDB, with a local
 * recording HTTP server as every webhook, Slack and Telegram endpoint.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { attendances, courses } from '@/db/schema';
import { markCameraSeen } from '@/lib/data/cameras';
import { enrollStudent } from '@/lib/data/courses';
import { createNotificationRoute, routesForCourse } from '@/lib/data/notification-routes';
import { slackChannel } from '@/lib/notifications/channels';
import { checkNotifications, type WatchOptions } from '@/lib/notifications/notification-watch';
import { Notifier } from '@/lib/notifications/notifier';
import { resetEnvCache } from '@/lib/env';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '@/test/factories';
import { startRecordingServer, type RecordingServer } from '@/test/helpers/recording-server';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: 'admin' | 'lecturer'; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

const db = useThrowawayDatabase();
let server: RecordingServer;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(async () => {
  await server?.close();
});

const at = (path: string) => server.requests.filter((r) => r.url === path);
const hmac = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('notification routes', () => {
  it("a closed session reaches its course's routes, its lecturer's routes and the global channel, once each; not another course's, not disabled ones", async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const a = await makeCourse({ code: 'RTA1', lecturerId: lecturer.userId });
    const b = await makeCourse({ code: 'RTB1' });
    const u = server.url;
    await createNotificationRoute(
      { courseId: a.courseId },
      { channel: 'webhook', target: `${u}/a-hook`, secret: 'course-a-secret-0001' },
      null,
    );
    await createNotificationRoute(
      { courseId: a.courseId },
      { channel: 'telegram', target: '-100123', secret: '42:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ms' },
      null,
    );
    await createNotificationRoute(
      { userId: lecturer.userId },
      { channel: 'webhook', target: `${u}/lecturer-hook`, secret: 'lecturer-secret-0002' },
      null,
    );
    await createNotificationRoute({ courseId: b.courseId }, { channel: 'slack', target: `${u}/b-slack` }, null);
    await createNotificationRoute(
      { courseId: a.courseId },
      { channel: 'slack', target: `${u}/off`, enabled: false },
      null,
    );
    await createNotificationRoute(
      { courseId: a.courseId },
      { channel: 'slack', target: `${u}/arrivals-only`, events: ['arrival'] },
      null,
    );
    // The same receiver as a course route, a lecturer route and the global channel: one message.
    await createNotificationRoute({ courseId: a.courseId }, { channel: 'slack', target: `${u}/shared` }, null);
    await createNotificationRoute({ userId: lecturer.userId }, { channel: 'slack', target: `${u}/shared` }, null);
    const notifier = new Notifier([slackChannel(`${u}/global`), slackChannel(`${u}/shared`)], {
      log: silent,
      baseDelayMs: 5,
      allowedHosts: ['127.0.0.1'],
    });
    const opts: WatchOptions = { notifier, offlineMinutes: 5, arrivals: false, telegramApiBase: u, log: silent };

    const now = new Date();
    await makeSession({
      courseId: a.courseId,
      startsAt: new Date(now.getTime() - 120 * 60_000),
      endsAt: new Date(now.getTime() - 30 * 60_000),
      status: 'closed',
    });
    expect(await checkNotifications(opts, { arrivalsAfter: now }, now)).toBe(1);
    await notifier.idle();

    expect(server.requests.map((r) => r.url).sort()).toEqual([
      '/a-hook',
      '/bot42:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ms/sendMessage',
      '/global',
      '/lecturer-hook',
      '/shared',
    ]);
    const [courseHook] = at('/a-hook');
    const [lecturerHook] = at('/lecturer-hook');
    expect(courseHook!.headers['x-signature']).toBe(hmac(courseHook!.body, 'course-a-secret-0001'));
    expect(lecturerHook!.headers['x-signature']).toBe(hmac(lecturerHook!.body, 'lecturer-secret-0002'));
    expect(JSON.parse(courseHook!.body)).toMatchObject({ type: 'session.closed', courseCode: 'RTA1' });
    expect(JSON.parse(at('/bot42:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ms/sendMessage')[0]!.body)).toMatchObject({
      chat_id: '-100123',
      text: expect.stringContaining('RTA1'),
    });
    await notifier.close();
  });

  it('a camera going offline reaches the routes of courses with a session on it today; arrivals reach routes that asked for them even with NOTIFY_ARRIVALS off', async () => {
    server.requests.length = 0;
    const u = server.url;
    const onCam = await makeCourse({ code: 'RTC1' });
    const elsewhere = await makeCourse({ code: 'RTD1' });
    await createNotificationRoute(
      { courseId: onCam.courseId },
      { channel: 'slack', target: `${u}/c-slack`, events: ['camera_offline', 'arrival'] },
      null,
    );
    await createNotificationRoute({ courseId: elsewhere.courseId }, { channel: 'slack', target: `${u}/d-slack` }, null);
    const camera = await makeCamera({ name: 'Route cam', room: 'R1' });
    const now = new Date();
    const session = await makeSession({
      courseId: onCam.courseId,
      cameraId: camera.cameraId,
      startsAt: now,
      endsAt: new Date(now.getTime() + 3_600_000),
    });
    await markCameraSeen(camera.cameraId, 'online', new Date(now.getTime() - 10 * 60_000));
    const student = await makeStudent({ name: 'Route Student' });
    await enrollStudent(onCam.courseId, student.studentId);
    const before = new Date(now.getTime() - 1_000);
    await getDb().insert(attendances).values({
      sessionId: session.sessionId,
      studentId: student.studentId,
      timestamp: now,
      lastSeen: now,
      status: 'present',
    });

    const notifier = new Notifier([slackChannel(`${u}/global`)], {
      log: silent,
      baseDelayMs: 5,
      allowedHosts: ['127.0.0.1'],
    });
    const state = { arrivalsAfter: before };
    expect(
      await checkNotifications(
        { notifier, offlineMinutes: 5, arrivals: false, telegramApiBase: u, log: silent },
        state,
        now,
      ),
    ).toBe(2);
    await notifier.idle();

    const texts = (path: string) => at(path).map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts('/c-slack')).toEqual([
      expect.stringContaining('Camera Route cam (R1) has been offline'),
      expect.stringContaining('Route Student arrived'),
    ]);
    expect(texts('/global')).toEqual([expect.stringContaining('Camera Route cam')]); // no arrivals globally
    expect(at('/d-slack')).toEqual([]);
    await notifier.close();
  });

  it('routes of a deleted course go with it', async () => {
    const c = await makeCourse({ code: 'RTE1' });
    await createNotificationRoute(
      { courseId: c.courseId },
      { channel: 'slack', target: 'https://hooks.example/x' },
      null,
    );
    expect(await routesForCourse(c.courseId)).toHaveLength(1);
    await getDb().delete(courses).where(eq(courses.courseId, c.courseId));
    expect(await routesForCourse(c.courseId)).toHaveLength(0);
  });
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe('API /api/courses/:courseId/notifications', () => {
  it('the lecturer adds, lists (secret masked) and removes routes; bad targets are 400; another lecturer gets 403', async () => {
    const [owner, other] = [await makeUser({ role: 'lecturer' }), await makeUser({ role: 'lecturer' })];
    const course = await makeCourse({ code: 'RTAPI', lecturerId: owner.userId });
    const list = (await import('@/app/api/courses/[courseId]/notifications/route')) as unknown as {
      GET: Handler;
      POST: Handler;
    };
    const one = (await import('@/app/api/courses/[courseId]/notifications/[routeId]/route')) as unknown as {
      DELETE: Handler;
    };
    const params = (extra: Record<string, string> = {}) => ({
      params: Promise.resolve({ courseId: course.courseId, ...extra }),
    });
    const post = (body: unknown) =>
      list.POST(
        new Request('http://test/x', {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { origin: 'http://test', 'content-type': 'application/json' },
        }),
        params(),
      );

    // The deployment lets lecturers use its own receiver host; anywhere else needs an admin (SSRF).
    process.env.NOTIFY_ALLOWED_HOSTS = 'hooks.example';
    resetEnvCache();
    signedIn = { id: owner.userId, role: 'lecturer', email: owner.email };
    const forbidden = await post({
      channel: 'webhook',
      target: 'http://10.0.0.5/internal',
      secret: 'a-very-secret-value-1234',
    });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.message).toMatch(/Only an admin can send notifications to that address/);
    expect(
      (await post({ channel: 'slack', target: 'https://hooks.slack.com/services/T0/B0/secretpart9876' })).status,
    ).toBe(201);
    const created = await post({
      channel: 'webhook',
      target: 'https://hooks.example/attendance',
      secret: 'a-very-secret-value-1234',
      events: ['session_closed', 'arrival'],
    });
    expect(created.status).toBe(201);
    const route = (await created.json()) as { routeId: string; secret: string };
    expect(route).toMatchObject({
      courseId: course.courseId,
      userId: null,
      channel: 'webhook',
      target: 'https://hooks.example/attendance',
      secret: '****1234',
      events: ['session_closed', 'arrival'],
      enabled: true,
    });

    for (const bad of [
      { channel: 'slack', target: 'ftp://hooks.example/x' },
      { channel: 'webhook', target: 'https://hooks.example/x' }, // no secret
      { channel: 'telegram', target: '@channelname', secret: '1:T' },
      { channel: 'slack', target: 'https://hooks.example/x', events: ['everything'] },
    ]) {
      const res = await post(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }

    const listed = (await (await list.GET(new Request('http://test/x'), params())).json()) as {
      routes: { routeId: string; channel: string; target: string; secret: string | null }[];
    };
    expect(listed.routes.find((r) => r.routeId === route.routeId)).toMatchObject({ secret: '****1234' });
    expect(JSON.stringify(listed)).not.toContain('a-very-secret-value');
    // The Slack URL is itself the credential: a lecturer sees it masked, an admin whole.
    expect(listed.routes.find((r) => r.channel === 'slack')!.target).toBe('https://hooks.slack.com/****9876');
    const admin = await makeUser({ role: 'admin' });
    signedIn = { id: admin.userId, role: 'admin', email: admin.email };
    const asAdmin = (await (await list.GET(new Request('http://test/x'), params())).json()) as {
      routes: { channel: string; target: string }[];
    };
    expect(asAdmin.routes.find((r) => r.channel === 'slack')!.target).toBe(
      'https://hooks.slack.com/services/T0/B0/secretpart9876',
    );
    // An admin may send anywhere public, and to an internal host only when the deployment lists it.
    process.env.NOTIFY_ALLOWED_HOSTS = 'hooks.example,10.0.0.5';
    resetEnvCache();
    expect(
      (await post({ channel: 'webhook', target: 'http://10.0.0.5/internal', secret: 'a-very-secret-value-1234' }))
        .status,
    ).toBe(201);
    delete process.env.NOTIFY_ALLOWED_HOSTS;
    resetEnvCache();
    // The black-box try: loopback spelled as an IPv4-mapped IPv6 address, and its other disguises, is a 400 in words.
    for (const target of [
      'http://[::ffff:7f00:1]:9464/',
      'http://[::ffff:127.0.0.1]:9464/',
      'http://[::7f00:1]:9464/',
      'http://[64:ff9b::a9fe:a9fe]/latest/meta-data',
      'http://2130706433:9464/',
      'http://0177.0.0.1:9464/',
      'http://127.1:9464/',
      'http://10.0.0.5/internal',
      'http://localhost:3000/api/x',
    ]) {
      const refused = await post({ channel: 'webhook', target, secret: 'a-very-secret-value-1234' });
      expect(refused.status, target).toBe(400);
      const { error } = (await refused.json()) as { error: { message: string; fields: { target: string } } };
      expect(error.message, target).toMatch(/This address cannot receive notifications: .*internal address/);
      expect(error.message).toMatch(/NOTIFY_ALLOWED_HOSTS/);
      expect(error.fields.target).toMatch(/notifications cannot be sent into the server's own network/);
    }
    expect((await post({ channel: 'slack', target: 'http://[::ffff:7f00:1]:9464/' })).status).toBe(400);

    signedIn = { id: other.userId, role: 'lecturer', email: other.email };
    expect((await list.GET(new Request('http://test/x'), params())).status).toBe(403);
    expect((await post({ channel: 'slack', target: 'https://hooks.example/y' })).status).toBe(403);
    expect(
      (
        await one.DELETE(
          new Request('http://test/x', { method: 'DELETE', headers: { origin: 'http://test' } }),
          params({ routeId: route.routeId }),
        )
      ).status,
    ).toBe(403);

    signedIn = { id: owner.userId, role: 'lecturer', email: owner.email };
    expect(
      (
        await one.DELETE(
          new Request('http://test/x', { method: 'DELETE', headers: { origin: 'http://test' } }),
          params({ routeId: route.routeId }),
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await one.DELETE(
          new Request('http://test/x', { method: 'DELETE', headers: { origin: 'http://test' } }),
          params({ routeId: route.routeId }),
        )
      ).status,
    ).toBe(404);
  });
});

const REPO = fileURLToPath(new URL('../..', import.meta.url));
type Run = { code: number | null; stdout: string; stderr: string };
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO, 'node_modules/.bin/tsx'),
      ['--conditions=react-server', 'scripts/attendance.ts', ...args],
      { cwd: REPO, env: { ...process.env, DATABASE_URL: db.url(), NO_COLOR: '1' }, timeout: 60_000 },
    );
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CLI notify add|list|remove', () => {
  it('adds course and lecturer routes, lists them with masked secrets, removes one; bad input is one clear line', async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    await makeCourse({ code: 'RTCLI' });
    const ok = (r: Run) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const added = ok(
      await cli([
        'notify',
        'add',
        '--course',
        'RTCLI',
        '--channel',
        'webhook',
        '--target',
        'https://hooks.example/cli',
        '--secret',
        'cli-webhook-secret-9876',
        '--events',
        'session_closed,arrival',
        '--json',
      ]),
    );
    expect(added).toEqual({
      route_id: expect.any(String),
      course_id: expect.any(String),
      user_id: null,
      channel: 'webhook',
      target: 'https://hooks.example/cli',
      secret: '****9876',
      events: ['session_closed', 'arrival'],
      enabled: true,
      digest: 'none',
      digest_hour: 18,
      created_at: expect.any(String),
    });
    const mine = ok(
      await cli([
        'notify',
        'add',
        '--user',
        lecturer.email,
        '--channel',
        'telegram',
        '--target=-1001',
        '--secret',
        '7:AAEhBOweik6ad9r_QXMENQjcrGbqCr4Kx9Zq',
        '--json',
      ]),
    );
    expect(mine).toMatchObject({
      course_id: null,
      user_id: lecturer.userId,
      channel: 'telegram',
      target: '-1001',
      secret: '****x9Zq',
      events: ['session_closed', 'camera_offline'],
    });

    const list = ok(await cli(['notify', 'list', '--course', 'RTCLI', '--json'])) as unknown as {
      route_id: string;
      secret: string;
    }[];
    expect(list.map((r) => r.route_id)).toEqual([added.route_id]);
    expect(JSON.stringify(list)).not.toContain('cli-webhook-secret');

    expect(ok(await cli(['notify', 'remove', '--id', String(added.route_id), '--json']))).toEqual({
      route_id: added.route_id,
      removed: true,
    });
    expect(ok(await cli(['notify', 'list', '--course', 'RTCLI', '--json']))).toEqual([]);

    const both = await cli([
      'notify',
      'add',
      '--course',
      'RTCLI',
      '--user',
      lecturer.email,
      '--channel',
      'slack',
      '--target',
      'https://x.example',
    ]);
    expect([both.code, both.stderr.trim()]).toEqual([
      2,
      'attendance: notify add: give exactly one of --course CODE or --user EMAIL (see --help)',
    ]);
    const badChat = await cli([
      'notify',
      'add',
      '--course',
      'RTCLI',
      '--channel',
      'telegram',
      '--target',
      'mychat',
      '--secret',
      '7:AAEhBOweik6ad9r_QXMENQjcrGbqCr4Kx9Zq',
      '--json',
    ]);
    expect(badChat.code).toBe(1);
    expect(JSON.parse(badChat.stdout)).toEqual({
      error: { code: 'VALIDATION', message: '--target: telegram target must be a numeric chat id' },
    });
    // The token goes into the Bot API path: one that could carry a path (or is no token at all) is refused.
    const badToken = await cli([
      'notify',
      'add',
      '--course',
      'RTCLI',
      '--channel',
      'telegram',
      '--target=-1001',
      '--secret',
      '1:T/../../getMe',
      '--json',
    ]);
    expect(badToken.code).toBe(1);
    expect(JSON.parse(badToken.stdout)).toEqual({
      error: {
        code: 'VALIDATION',
        message:
          '--secret: a Telegram bot token looks like 123456789:AAE…: digits, a colon, then at least 30 letters, digits, _ or -',
      },
    });
    const loopback = await cli([
      'notify',
      'add',
      '--course',
      'RTCLI',
      '--channel',
      'slack',
      '--target',
      'http://[::ffff:7f00:1]:9464/',
      '--json',
    ]);
    expect(loopback.code).toBe(1);
    expect(JSON.parse(loopback.stdout).error.message).toMatch(/::ffff:7f00:1 is an internal address/);
    const gone = await cli(['notify', 'remove', '--id', 'nope']);
    expect([gone.code, gone.stderr.trim()]).toEqual([1, 'attendance: Unknown notification route "nope"']);
  });
});
