import { describe, expect, it } from 'vitest';
import type { NotificationRouteRow } from '@/db/schema';
import { loadEnv } from '@/lib/env';
import { emailChannel, renderMail } from './email-channel';
import type { NotificationEvent } from './events';
import { classifySmtpError } from './mailer';
import { createNotificationRouteBody, routeChannels } from './routes';

const arrival: NotificationEvent = {
  type: 'attendance.arrival',
  sessionId: 's1',
  courseCode: 'CS101',
  studentId: 'st-1',
  studentName: 'Budi "<script>" Santoso',
  status: 'late',
  at: '2026-03-02T02:05:00.000Z',
};
const digest: NotificationEvent = {
  type: 'digest.daily',
  date: '2026-03-02',
  timeZone: 'Asia/Jakarta',
  sessions: [
    {
      courseCode: 'CS101',
      courseName: 'Intro\r\nBcc: x@evil.test',
      startsAt: '2026-03-02T02:00:00.000Z',
      endsAt: '2026-03-02T03:30:00.000Z',
      status: 'over',
      counts: { enrolled: 31, present: 25, late: 3, absent: 2, excused: 1 },
      unknownWaiting: 2,
    },
  ],
};

describe('e-mail rendering', () => {
  it('names the student only when allowed, and escapes everything in the HTML part', () => {
    const named = renderMail(arrival, 'lect@campus.test', true, 'Asia/Jakarta');
    expect(named.text).toContain('Budi "<script>" Santoso arrived (late) in CS101 at 09:05 (Asia/Jakarta).');
    expect(named.html).toContain('Budi &#34;&#60;script&#62;&#34; Santoso arrived');
    expect(named.html).not.toContain('<script>');
    const anonymous = renderMail(arrival, 'someone@campus.test', false, 'Asia/Jakarta');
    expect(JSON.stringify(anonymous)).not.toMatch(/Budi|Santoso|st-1/);
    expect(anonymous.text).toContain('A student arrived (late) in CS101 at 09:05');
  });

  it('a digest lists counts per session in campus time; a line break in a name never reaches the subject', () => {
    const m = renderMail(digest, 'lect@campus.test', true, 'Asia/Jakarta');
    expect(m.subject).toBe('Attendance summary for 2026-03-02: 1 session');
    expect(m.text).toContain(
      'CS101 Intro\r\nBcc: x@evil.test 09:00–10:30: 25 present, 3 late, 2 absent, 1 excused of 31; 2 unknown faces to review',
    );
    const closed = renderMail(
      {
        type: 'session.closed',
        sessionId: 's',
        courseCode: 'CS101',
        courseName: 'Intro\nBcc: x@evil.test',
        startsAt: digest.sessions[0]!.startsAt,
        endsAt: digest.sessions[0]!.endsAt,
        counts: { enrolled: 3, present: 1, late: 1, absent: 1 },
      },
      'a@b.test',
      false,
      'UTC',
    );
    expect(closed.subject).not.toMatch(/[\r\n]/);
  });

  it('one address per route, lower-cased; anything else is refused', () => {
    expect(emailChannel('Lect@Campus.Test', { names: false, timeZone: 'UTC' }).key).toBe('email lect@campus.test');
    for (const bad of ['a@b.test, c@d.test', 'Name <a@b.test>', 'a@b', 'a b@c.test', 'a@b.test\r\nBcc: c@d.test'])
      expect(createNotificationRouteBody.safeParse({ channel: 'email', target: bad }).success, bad).toBe(false);
    expect(createNotificationRouteBody.parse({ channel: 'email', target: ' Lect@Campus.Test ' })).toMatchObject({
      target: 'lect@campus.test',
    });
  });
});

describe('routes with a daily digest', () => {
  const row = (over: Partial<NotificationRouteRow>): NotificationRouteRow => ({
    routeId: 'r',
    courseId: 'c',
    userId: null,
    channel: 'email',
    target: 'lect@campus.test',
    secret: null,
    events: 'session_closed,camera_offline,arrival',
    enabled: true,
    digest: 'none',
    digestHour: 18,
    createdAt: new Date(),
    ...over,
  });
  const mail = { timeZone: 'UTC', namesTo: new Set(['lect@campus.test']) };

  it('take no session or arrival messages (the digest replaces them) but still camera alerts', () => {
    const routes = [row({ routeId: 'd', digest: 'daily', target: 'digest@campus.test' }), row({})];
    const keys = (e: NotificationEvent) => routeChannels(routes, e, 'https://api.telegram.org', mail).map((c) => c.key);
    expect(keys(arrival)).toEqual(['email lect@campus.test']);
    expect(
      keys({ type: 'camera.offline', cameraId: 'c', cameraName: 'x', room: null, lastSeenAt: arrival.at, minutes: 5 }),
    ).toEqual(['email digest@campus.test', 'email lect@campus.test']);
    // Without what an e-mail needs (the send-time context), an e-mail route is skipped, not sent blind.
    expect(routeChannels(routes, arrival, 'https://api.telegram.org')).toEqual([]);
  });
});

describe('SMTP settings and errors', () => {
  it('SMTP_FROM comes with SMTP_HOST, user with password; the password is never echoed; defaults are 587 + STARTTLS required', () => {
    expect(() => loadEnv({ SMTP_HOST: 'smtp.campus.test' })).toThrow(/SMTP_FROM: required when SMTP_HOST is set/);
    expect(() => loadEnv({ SMTP_HOST: 'h', SMTP_FROM: 'a@b.test', SMTP_PASSWORD: 'hunter22' })).toThrow(
      /SMTP_USER and SMTP_PASSWORD: set both or neither/,
    );
    expect(() => loadEnv({ SMTP_HSOT: 'h' })).toThrow(/SMTP_HSOT: unknown setting/);
    const s = loadEnv({ SMTP_HOST: 'smtp.campus.test', SMTP_FROM: 'a@b.test' });
    expect(s).toMatchObject({ SMTP_SECURE: false, SMTP_REQUIRE_TLS: true });
  });

  it('4xx replies and dropped connections are worth retrying; 5xx, bad credentials and missing STARTTLS are not', () => {
    expect(classifySmtpError({ responseCode: 451 })).toEqual({ reason: 'SMTP 451', permanent: false });
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535 })).toEqual({ reason: 'SMTP 535', permanent: true });
    expect(classifySmtpError({ code: 'ECONNECTION' }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'ETLS' }).permanent).toBe(true);
  });
});
