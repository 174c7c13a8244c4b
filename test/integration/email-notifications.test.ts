/**
 * E-mail notification routes end to end: the watcher against a real MariaDB sends through nodemailer
 * to a real SMTP server on loopback (STARTTLS with its own CA, AUTH), and the test reads what arrived.
 */
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { attendances, unknownFaces } from '@/db/schema';
import { notifyAdd } from '@/lib/admin-cli/notify-commands';
import { enrollStudent } from '@/lib/data/courses';
import { claimEvent } from '@/lib/data/event-claims';
import { createNotificationRoute } from '@/lib/data/notification-routes';
import { resetEnvCache } from '@/lib/env';
import { registry } from '@/lib/metrics';
import { emailChannel } from '@/lib/notifications/email-channel';
import { createMailer, type Mailer } from '@/lib/notifications/mailer';
import { checkNotifications, type WatchOptions } from '@/lib/notifications/notification-watch';
import { Notifier } from '@/lib/notifications/notifier';
import { zonedDate, zonedInstant } from '@/lib/timetable/timetable-dates';
import { makeCourse, makeSession, makeStudent, makeUser } from '@/test/factories';
import { startSmtpServer, type TestSmtpServer } from '@/test/helpers/smtp-server';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: 'admin' | 'lecturer'; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();
const silent = pino({ level: 'silent' });
const TZ = 'Asia/Jakarta';
let smtp: TestSmtpServer;
const mailers: Mailer[] = [];

const settings = () => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: smtp.port,
  SMTP_SECURE: false,
  SMTP_REQUIRE_TLS: true,
  SMTP_USER: 'mailer',
  SMTP_PASSWORD: 'mail-password-1',
  SMTP_FROM: 'Attendance <attendance@campus.test>',
});
/** A mailer as the worker builds it, trusting the test server's certificate (verification stays on). */
function mailer(overrides: Partial<ReturnType<typeof settings>> = {}): Mailer {
  const m = createMailer({ ...settings(), ...overrides }, { tls: { ca: smtp.ca }, timeoutMs: 5_000 })!;
  mailers.push(m);
  return m;
}
const notifier = (m: Mailer | null, attempts = 5) =>
  new Notifier([], { log: silent, baseDelayMs: 5, maxDelayMs: 20, attempts, mailer: m });
const to = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
const metric = async (name: string) => {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).filter((v) => v.labels.channel === 'email').reduce((n, v) => n + v.value, 0);
};

beforeAll(async () => {
  smtp = await startSmtpServer({ user: 'mailer', password: 'mail-password-1' });
});
afterEach(() => {
  smtp.failNext(0, 451);
});
afterAll(async () => {
  for (const m of mailers) m.close();
  await smtp?.close();
});

describe('e-mail notification routes through a real SMTP server', () => {
  it("arrival and session-closed e-mails: STARTTLS and AUTH used; a student's name only to the course's lecturer, escaped in HTML", async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const course = await makeCourse({ code: 'EM101', courseName: 'Mail & Things', lecturerId: lecturer.userId });
    const outsider = 'registrar@elsewhere.test';
    for (const target of [lecturer.email, outsider])
      await createNotificationRoute(
        { courseId: course.courseId },
        { channel: 'email', target, events: ['session_closed', 'arrival'] },
        null,
      );
    const now = new Date();
    const session = await makeSession({
      courseId: course.courseId,
      startsAt: new Date(now.getTime() - 100 * 60_000),
      endsAt: new Date(now.getTime() - 10 * 60_000),
      status: 'closed',
    });
    const student = await makeStudent({ name: 'Siti <b>Rahma</b>' });
    await enrollStudent(course.courseId, student.studentId);
    await enrollStudent(course.courseId, (await makeStudent()).studentId);
    const before = new Date(now.getTime() - 1_000);
    await getDb()
      .insert(attendances)
      .values({
        sessionId: session.sessionId,
        studentId: student.studentId,
        timestamp: new Date(now.getTime() - 90 * 60_000),
        lastSeen: now,
        status: 'late',
      });

    const n = notifier(mailer());
    const opts: WatchOptions = { notifier: n, offlineMinutes: 5, arrivals: false, log: silent, timeZone: TZ };
    expect(await checkNotifications(opts, { arrivalsAfter: before }, now)).toBe(2);
    await n.idle();

    const mine = to(lecturer.email.toLowerCase());
    const theirs = to(outsider);
    expect(mine).toHaveLength(2);
    expect(theirs).toHaveLength(2);
    for (const m of [...mine, ...theirs]) {
      expect(m).toMatchObject({ secure: true, user: 'mailer', from: 'attendance@campus.test' });
    }
    const closed = mine.find((m) => m.subject.startsWith('EM101: attendance closed'))!;
    expect(closed.text).toContain('0 present, 1 late, 1 absent of 2 enrolled');
    expect(closed.html).toContain('Mail &#38; Things');
    const arrival = mine.find((m) => m.subject.includes('arrived'))!;
    expect(arrival.text).toContain('Siti <b>Rahma</b> arrived (late) in EM101');
    expect(arrival.html).toContain('Siti &#60;b&#62;Rahma&#60;/b&#62; arrived');
    expect(arrival.html).not.toContain('<b>Rahma');
    // An address an admin added, who is neither the lecturer nor an admin: the same news, no name.
    for (const m of theirs) expect(m.raw).not.toMatch(/Rahma|Siti/);
    expect(theirs.find((m) => m.subject === 'EM101: arrival (late)')!.text).toContain('A student arrived (late)');
    await n.close();
  });

  it('the daily digest is sent once by two workers sharing the database, replaces session messages, and lists counts only', async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const course = await makeCourse({ code: 'DG202', courseName: 'Digests', lecturerId: lecturer.userId });
    await createNotificationRoute(
      { userId: lecturer.userId },
      { channel: 'email', target: lecturer.email, events: ['session_closed', 'arrival'] },
      null,
    );
    // Not via the insert above: the digest fields are part of the stored route.
    await createNotificationRoute(
      { userId: lecturer.userId },
      {
        channel: 'email',
        target: 'digest@campus.test',
        events: ['session_closed', 'arrival'],
        digest: 'daily',
        digestHour: 11,
      },
      null,
    );
    // Noon in the campus zone today: the 11:00 digest is due, a session 09:00–10:30 is over.
    const date = zonedDate(new Date(), TZ);
    const now = zonedInstant(date, '12:00', TZ);
    const session = await makeSession({
      courseId: course.courseId,
      startsAt: zonedInstant(date, '09:00', TZ),
      endsAt: zonedInstant(date, '10:30', TZ),
      status: 'closed',
    });
    const names = ['Digest Present', 'Digest Late', 'Digest Excused', 'Digest Absent'];
    const people: Awaited<ReturnType<typeof makeStudent>>[] = [];
    for (const name of names) {
      const s = await makeStudent({ name });
      await enrollStudent(course.courseId, s.studentId);
      people.push(s);
    }
    const at = zonedInstant(date, '09:05', TZ);
    await getDb()
      .insert(attendances)
      .values(
        (['present', 'late', 'excused'] as const).map((status, i) => ({
          sessionId: session.sessionId,
          studentId: people[i]!.studentId,
          timestamp: at,
          lastSeen: at,
          status,
        })),
      );
    await getDb()
      .insert(unknownFaces)
      .values([
        { sessionId: session.sessionId, storageKey: 'unknown/a.jpg', seenAt: at },
        { sessionId: session.sessionId, storageKey: 'unknown/b.jpg', seenAt: at, reviewed: true },
      ]);

    const workers = ['worker-a', 'worker-b'].map((id) => {
      const n = notifier(mailer());
      const opts: WatchOptions = {
        notifier: n,
        offlineMinutes: 5,
        arrivals: false,
        log: silent,
        timeZone: TZ,
        claim: (key) => claimEvent(key, id),
      };
      return { n, opts };
    });
    const pass = () => Promise.all(workers.map((w) => checkNotifications(w.opts, { arrivalsAfter: new Date() }, now)));
    await pass();
    await pass();
    await Promise.all(workers.map((w) => w.n.idle()));

    const digests = to('digest@campus.test');
    expect(digests).toHaveLength(1); // the digest, and no per-session message
    const [digest] = digests;
    expect(digest!.subject).toBe(`Attendance summary for ${date}: 1 session`);
    expect(digest!.text).toContain(
      'DG202 Digests 09:00–10:30: 1 present, 1 late, 1 absent, 1 excused of 4; 1 unknown face to review',
    );
    expect(digest!.raw).not.toMatch(/Digest (Present|Late|Excused|Absent)/);
    // The lecturer's route without a digest still got the session message, once.
    expect(to(lecturer.email.toLowerCase()).filter((m) => m.subject.startsWith('DG202'))).toHaveLength(1);
    await Promise.all(workers.map((w) => w.n.close()));
  });

  it('SMTP 4xx is retried with backoff and then delivered; 5xx and bad credentials fail at once and are counted', async () => {
    const channel = emailChannel('retry@campus.test', { names: false, timeZone: TZ });
    const event = {
      type: 'camera.offline' as const,
      cameraId: 'c1',
      cameraName: 'Hall cam',
      room: 'H1',
      lastSeenAt: new Date().toISOString(),
      minutes: 7,
    };
    const [sent0, failed0, retried0] = await Promise.all(
      ['notifications_sent_total', 'notifications_failed_total', 'notification_retries_total'].map(metric),
    );

    smtp.failNext(2, 451);
    const n = notifier(mailer());
    n.notify(event, [channel]);
    await n.idle();
    expect(to('retry@campus.test')).toHaveLength(1);
    expect(await metric('notification_retries_total')).toBe(retried0! + 2);
    expect(await metric('notifications_sent_total')).toBe(sent0! + 1);

    smtp.failNext(1, 550);
    const refusedBefore = smtp.refused;
    n.notify(event, [channel]);
    await n.idle();
    expect(smtp.refused).toBe(refusedBefore + 1); // not retried
    expect(await metric('notifications_failed_total')).toBe(failed0! + 1);

    const wrong = notifier(mailer({ SMTP_PASSWORD: 'not-the-password' }));
    wrong.notify(event, [channel]);
    await wrong.idle();
    expect(await metric('notifications_failed_total')).toBe(failed0! + 2);
    expect(await metric('notification_retries_total')).toBe(retried0! + 2);
    expect(to('retry@campus.test')).toHaveLength(1);
    await Promise.all([n.close(), wrong.close()]);
  });

  it('without STARTTLS verified against a trusted certificate nothing is sent (SMTP_REQUIRE_TLS)', async () => {
    const untrusting = createMailer(settings(), { timeoutMs: 5_000 })!; // the system CAs do not know the test's
    mailers.push(untrusting);
    const n = notifier(untrusting, 2);
    const failed0 = await metric('notifications_failed_total');
    n.notify(
      {
        type: 'camera.offline',
        cameraId: 'c',
        cameraName: 'x',
        room: null,
        lastSeenAt: new Date().toISOString(),
        minutes: 5,
      },
      [emailChannel('tls@campus.test', { names: false, timeZone: TZ })],
    );
    await n.idle();
    expect(to('tls@campus.test')).toHaveLength(0);
    expect(await metric('notifications_failed_total')).toBe(failed0 + 1);
    await n.close();
  });
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe('adding e-mail routes', () => {
  const keys = ['SMTP_HOST', 'SMTP_FROM'] as const;
  afterEach(() => {
    for (const k of keys) delete process.env[k];
    resetEnvCache();
  });

  it("a lecturer may add only their own account's address; an admin any; nothing without SMTP; the CLI takes a digest", async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const admin = await makeUser({ role: 'admin' });
    const course = await makeCourse({ code: 'EMAPI', lecturerId: lecturer.userId });
    const api = (await import('@/app/api/courses/[courseId]/notifications/route')) as unknown as { POST: Handler };
    const post = async (body: unknown) => {
      const res = await api.POST(
        new Request('http://test/x', {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { origin: 'http://test', 'content-type': 'application/json' },
        }),
        { params: Promise.resolve({ courseId: course.courseId }) },
      );
      return {
        status: res.status,
        json: (await res.json()) as Record<string, unknown> & { error?: { message: string } },
      };
    };
    signedIn = { id: lecturer.userId, role: 'lecturer', email: lecturer.email };

    const unset = await post({ channel: 'email', target: lecturer.email });
    expect(unset.status).toBe(400);
    expect(unset.json.error!.message).toMatch(/E-mail is not set up on this server/);

    process.env.SMTP_HOST = '127.0.0.1';
    process.env.SMTP_FROM = 'attendance@campus.test';
    resetEnvCache();
    const other = await post({ channel: 'email', target: 'friend@gmail.example', events: ['arrival'] });
    expect(other.status).toBe(403);
    expect(other.json.error!.message).toMatch(/only to their own account's address/);
    expect((await post({ channel: 'email', target: 'not an address' })).status).toBe(400);
    expect((await post({ channel: 'email', target: lecturer.email, digest: 'daily', digestHour: 24 })).status).toBe(
      400,
    );

    const own = await post({ channel: 'email', target: lecturer.email.toUpperCase(), digest: 'daily', digestHour: 17 });
    expect(own.status).toBe(201);
    expect(own.json).toMatchObject({
      channel: 'email',
      target: lecturer.email.toLowerCase(),
      digest: 'daily',
      digestHour: 17,
    });

    signedIn = { id: admin.userId, role: 'admin', email: admin.email };
    expect((await post({ channel: 'email', target: 'dean@campus.test' })).status).toBe(201);

    const cli = await notifyAdd({
      user: lecturer.email,
      channel: 'email',
      target: 'office@campus.test',
      digest: 'daily',
      'digest-hour': '7',
    });
    expect(cli.json).toMatchObject({ channel: 'email', target: 'office@campus.test', digest: 'daily', digest_hour: 7 });
    await expect(
      notifyAdd({ course: 'EMAPI', channel: 'email', target: 'x@campus.test', 'digest-hour': 'seven' }),
    ).rejects.toThrow(/--digest-hour/);
  });
});
