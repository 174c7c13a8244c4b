import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '@/lib/metrics';
import { startRecordingServer, type RecordingServer } from '@/test/helpers/recording-server';
import { channelsFromSettings, slackChannel, telegramChannel, webhookChannel } from './channels';
import { channelForRoute, createNotificationRouteBody } from './routes';
import type { NotificationEvent } from './events';
import { Notifier } from './notifier';

const log = pino({ level: 'silent' });
const SECRET = 'a-very-secret-webhook-key';
const BOT_TOKEN = '123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ms';
const closed: NotificationEvent = {
  type: 'session.closed',
  sessionId: 's1',
  courseCode: 'CS101',
  courseName: 'Intro',
  startsAt: '2025-03-01T09:00:00.000Z',
  endsAt: '2025-03-01T10:30:00.000Z',
  counts: { enrolled: 30, present: 25, late: 3, absent: 2 },
};
// The recording servers listen on 127.0.0.1, an internal address: allowed explicitly, as NOTIFY_ALLOWED_HOSTS would.
const fast = { log, baseDelayMs: 5, maxDelayMs: 20, allowedHosts: ['127.0.0.1'] };

let server: RecordingServer;
beforeEach(async () => {
  server = await startRecordingServer();
});
afterEach(async () => {
  await server.close();
});

const metric = async (name: string, channel?: string) => {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).filter((v) => !channel || v.labels.channel === channel).reduce((n, v) => n + v.value, 0);
};

describe('notification channels against a recording server', () => {
  it('generic webhook: JSON body with a verifiable HMAC signature', async () => {
    const n = new Notifier([webhookChannel(`${server.url}/hook`, SECRET)], fast);
    n.notify(closed);
    await n.idle();
    const [req] = server.requests;
    expect(req?.url).toBe('/hook');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['x-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(req!.body).digest('hex')}`);
    expect(JSON.parse(req!.body)).toMatchObject({
      type: 'session.closed',
      counts: { present: 25, late: 3, absent: 2 },
      text: expect.stringContaining('25 present, 3 late, 2 absent'),
    });
  });

  it('Slack incoming webhook and Telegram sendMessage payload shapes', async () => {
    const n = new Notifier(
      [slackChannel(`${server.url}/services/T/B/x`), telegramChannel(`${server.url}/`, BOT_TOKEN, '-10042')],
      fast,
    );
    n.notify({
      type: 'camera.offline',
      cameraId: 'c1',
      cameraName: 'Lab cam',
      room: 'B2',
      lastSeenAt: '2025-03-01T09:00:00.000Z',
      minutes: 7,
    });
    await n.idle();
    const [slack, telegram] = server.requests;
    expect(slack?.url).toBe('/services/T/B/x');
    expect(JSON.parse(slack!.body)).toEqual({
      text: 'Camera Lab cam (B2) has been offline for 7 min (last seen 2025-03-01 09:00 UTC).',
    });
    expect(telegram?.url).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(JSON.parse(telegram!.body)).toEqual({
      chat_id: '-10042',
      text: expect.stringContaining('Lab cam'),
      disable_web_page_preview: true,
    });
  });

  it('retries after a 500 and delivers once', async () => {
    server.respond(500, 503);
    const before = await metric('notification_retries_total', 'slack');
    const n = new Notifier([slackChannel(server.url)], fast);
    n.notify(closed);
    await n.idle();
    expect(server.requests).toHaveLength(3);
    expect(await metric('notification_retries_total', 'slack')).toBe(before + 2);
  });

  it('refuses a target on an internal address that is not allowed: nothing is sent (SSRF)', async () => {
    const before = await metric('notifications_failed_total', 'webhook');
    const n = new Notifier([webhookChannel(`${server.url}/hook`, SECRET)], { ...fast, allowedHosts: [] });
    n.notify(closed);
    await n.idle();
    expect(server.requests).toHaveLength(0);
    expect(await metric('notifications_failed_total', 'webhook')).toBe(before + 1);
  });

  it('refuses a host name that resolves to loopback (DNS checked at connect), delivers when the host is allowed', async () => {
    const before = await metric('notifications_failed_total', 'webhook');
    const retriesBefore = await metric('notification_retries_total', 'webhook');
    const url = `http://receiver.example:${new URL(server.url).port}/hook`;
    const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];
    const refused = new Notifier([webhookChannel(url, SECRET)], { ...fast, allowedHosts: [], resolve: toLoopback });
    refused.notify(closed);
    await refused.idle();
    expect(server.requests).toHaveLength(0);
    expect(await metric('notifications_failed_total', 'webhook')).toBe(before + 1);
    // Refused at once, not retried like a network error.
    expect(await metric('notification_retries_total', 'webhook')).toBe(retriesBefore);
    const allowed = new Notifier([webhookChannel(url, SECRET)], {
      ...fast,
      allowedHosts: ['receiver.example'],
      resolve: toLoopback,
    });
    allowed.notify(closed);
    await allowed.idle();
    expect(server.requests.map((r) => r.url)).toEqual(['/hook']);
    await Promise.all([refused.close(), allowed.close()]);
  });

  it('fails closed when the lookup fails: nothing is sent, the failure is counted', async () => {
    const before = await metric('notifications_failed_total', 'slack');
    const n = new Notifier([slackChannel(`http://receiver.example:${new URL(server.url).port}/x`)], {
      ...fast,
      allowedHosts: ['receiver.example'],
      attempts: 2,
      resolve: async () => {
        throw Object.assign(new Error('getaddrinfo EAI_AGAIN receiver.example'), { code: 'EAI_AGAIN' });
      },
    });
    n.notify(closed);
    await n.idle();
    expect(server.requests).toHaveLength(0);
    expect(await metric('notifications_failed_total', 'slack')).toBe(before + 1);
    await n.close();
  });

  it('takes only well-formed Telegram bot tokens, so a token cannot carry a path', () => {
    for (const token of ['bad', '123:short', '123:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K/../../x', `${BOT_TOKEN}/x?`])
      expect(() => telegramChannel('https://api.telegram.org', token, '1'), token).toThrow(/Not a Telegram bot token/);
    const body = { channel: 'telegram', target: '-100123' };
    expect(createNotificationRouteBody.safeParse({ ...body, secret: BOT_TOKEN }).success).toBe(true);
    const bad = createNotificationRouteBody.safeParse({ ...body, secret: '42:TOKEN/../../getUpdates' });
    expect(bad.error?.issues[0]?.message).toMatch(/digits, a colon, then at least 30 letters/);
    // A route saved before tokens were checked is skipped, not sent to a rewritten path.
    expect(channelForRoute({ channel: 'telegram', target: '1', secret: '42:x/../../y' }, 'https://t')).toBeNull();
    expect(channelForRoute({ channel: 'telegram', target: '1', secret: BOT_TOKEN }, 'https://t')?.name).toBe(
      'telegram',
    );
  });

  it('does not follow a redirect (a receiver cannot bounce the worker to an internal address)', async () => {
    const target = await startRecordingServer();
    const bounce = http.createServer((_req, res) => res.writeHead(307, { location: `${target.url}/internal` }).end());
    await new Promise<void>((resolve) => bounce.listen(0, '127.0.0.1', resolve));
    try {
      const n = new Notifier([slackChannel(`http://127.0.0.1:${(bounce.address() as AddressInfo).port}/hook`)], fast);
      n.notify(closed);
      await n.idle();
      expect(target.requests).toHaveLength(0);
    } finally {
      bounce.close();
      await target.close();
    }
  });

  it('gives up on a 4xx at once (a bad token does not heal) and counts the failure', async () => {
    server.respond(401);
    const before = await metric('notifications_failed_total', 'telegram');
    const n = new Notifier([telegramChannel(server.url, '1:revokedTokenThatLooksRightButIsNotValid', '1')], fast);
    n.notify(closed);
    await n.idle();
    expect(server.requests).toHaveLength(1);
    expect(await metric('notifications_failed_total', 'telegram')).toBe(before + 1);
  });

  it('a down or hanging endpoint never blocks or throws into the caller', async () => {
    const hang = http.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const { port } = hang.address() as AddressInfo;
    const n = new Notifier([slackChannel(`http://127.0.0.1:${port}`), slackChannel('http://127.0.0.1:9/down')], {
      ...fast,
      timeoutMs: 100,
      attempts: 2,
    });
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) expect(() => n.notify(closed)).not.toThrow();
    expect(performance.now() - t0).toBeLessThan(20);
    await n.close(300);
    hang.closeAllConnections();
    hang.close();
  });

  it('keeps a bounded queue, dropping the oldest', async () => {
    const before = await metric('notifications_dropped_total');
    const n = new Notifier([slackChannel(server.url)], { ...fast, maxQueue: 3 });
    for (let i = 0; i < 10; i++) n.notify({ ...closed, sessionId: `s${i}` });
    await n.idle();
    expect(await metric('notifications_dropped_total')).toBeGreaterThan(before);
    expect(server.requests.length).toBeLessThanOrEqual(4);
  });

  it('builds channels from settings only when fully configured', () => {
    expect(channelsFromSettings({ TELEGRAM_API_BASE: 'https://api.telegram.org' })).toHaveLength(0);
    const all = channelsFromSettings({
      TELEGRAM_API_BASE: 'https://t',
      NOTIFY_WEBHOOK_URL: 'https://w',
      NOTIFY_WEBHOOK_SECRET: SECRET,
      NOTIFY_SLACK_WEBHOOK_URL: 'https://s',
      NOTIFY_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      NOTIFY_TELEGRAM_CHAT_ID: 'c',
    });
    expect(all.map((c) => c.name)).toEqual(['webhook', 'slack', 'telegram']);
  });
});
