/**
 * Notification routes (per course or per lecturer): the input contract shared by the API and the
 * admin CLI, the public (masked) view, and the route → channel mapping that reuses the senders in
 * ./channels. Pure: no database.
 */
import { z } from 'zod';
import { NOTIFICATION_EVENT_KINDS, type NotificationEventKind, type NotificationRouteRow } from '@/db/schema';
import {
  slackChannel,
  TELEGRAM_TOKEN,
  TELEGRAM_TOKEN_RULE,
  telegramChannel,
  webhookChannel,
  type NotificationChannel,
} from './channels';
import type { NotificationEvent } from './events';
import { AppError } from '@/lib/errors';
import { hostOf, refusedTarget } from './target-guard';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1024);
const events = z.array(z.enum(NOTIFICATION_EVENT_KINDS)).min(1).max(3).optional();
const enabled = z.boolean().optional();

/** One channel's fields; `secret` is the webhook HMAC secret or the Telegram bot token. */
export const createNotificationRouteBody = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('webhook'),
    target: httpUrl,
    secret: z.string().min(16, 'webhook secret must be at least 16 characters').max(255),
    events,
    enabled,
  }),
  z.object({ channel: z.literal('slack'), target: httpUrl, events, enabled }),
  z.object({
    channel: z.literal('telegram'),
    target: z.string().regex(/^-?\d{1,20}$/, 'telegram target must be a numeric chat id'),
    secret: z
      .string()
      .min(1, 'telegram needs the bot token as secret')
      .max(255)
      .regex(TELEGRAM_TOKEN, TELEGRAM_TOKEN_RULE),
    events,
    enabled,
  }),
]);
export type CreateNotificationRoute = z.infer<typeof createNotificationRouteBody>;

/** The event kinds a route can subscribe to, from the notification type. */
export function eventKind(event: NotificationEvent): NotificationEventKind {
  return event.type === 'session.closed'
    ? 'session_closed'
    : event.type === 'camera.offline'
      ? 'camera_offline'
      : 'arrival';
}

export function parseEvents(csv: string): NotificationEventKind[] {
  return csv
    .split(',')
    .filter((e): e is NotificationEventKind => (NOTIFICATION_EVENT_KINDS as readonly string[]).includes(e));
}

/** Enough to recognise a secret, never enough to use it. */
export function maskSecret(secret: string | null): string | null {
  if (!secret) return null;
  return secret.length >= 16 ? `****${secret.slice(-4)}` : '****';
}

export type PublicNotificationRoute = Omit<NotificationRouteRow, 'events'> & { events: NotificationEventKind[] };

/**
 * A route as the API shows it: secrets masked; for a lecturer also a Slack target, whose URL is
 * itself the credential (admins see it whole, to fix a broken one).
 */
export function publicRoute(r: NotificationRouteRow, viewer: 'admin' | 'lecturer' = 'admin'): PublicNotificationRoute {
  const target = viewer !== 'admin' && r.channel === 'slack' ? maskUrl(r.target) : r.target;
  return { ...r, target, secret: maskSecret(r.secret), events: parseEvents(r.events) };
}

/** `https://hooks.slack.com/****abcd`: the host to recognise it, the last 4 characters to tell two apart. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/****${url.slice(-4)}`;
  } catch {
    return '****';
  }
}

/** Hosts a lecturer may send a course's notifications to: NOTIFY_ALLOWED_HOSTS and Slack; anything else is for an admin to set. */
export function lecturerMayTarget(
  route: { channel: string; target: string },
  allowedHosts: ReadonlySet<string>,
): boolean {
  if (route.channel === 'telegram') return true; // the target is a chat id; the API host is fixed by the deployment
  const host = hostOf(route.target);
  return host !== null && (allowedHosts.has(host) || (route.channel === 'slack' && host === 'hooks.slack.com'));
}

/** The sender for a route, or null when it lacks what its channel needs (then it is skipped). */
export function channelForRoute(
  r: Pick<NotificationRouteRow, 'channel' | 'target' | 'secret'>,
  telegramApiBase: string,
): NotificationChannel | null {
  switch (r.channel) {
    case 'webhook':
      return r.secret ? webhookChannel(r.target, r.secret) : null;
    case 'slack':
      return slackChannel(r.target);
    case 'telegram':
      // A token saved before tokens were checked, and not one, is skipped: it would be pasted into the path.
      return r.secret && TELEGRAM_TOKEN.test(r.secret) ? telegramChannel(telegramApiBase, r.secret, r.target) : null;
  }
}

/** The channels of `routes` that subscribe to `event`. */
export function routeChannels(
  routes: readonly NotificationRouteRow[],
  event: NotificationEvent,
  telegramApiBase: string,
): NotificationChannel[] {
  const kind = eventKind(event);
  return routes
    .filter((r) => r.enabled && parseEvents(r.events).includes(kind))
    .flatMap((r) => channelForRoute(r, telegramApiBase) ?? []);
}

/**
 * Refuses, with a 400 in words, a webhook or Slack target on an internal address (any spelling) that
 * the deployment did not allow. Telegram's host is the deployment's TELEGRAM_API_BASE, not the route's.
 */
export async function assertDeliverableTarget(
  route: { channel: string; target: string },
  allowedHosts: ReadonlySet<string>,
): Promise<void> {
  if (route.channel === 'telegram') return;
  const refused = await refusedTarget(route.target, allowedHosts);
  if (refused)
    throw new AppError(
      'VALIDATION',
      `This address cannot receive notifications: ${refused}, which means this server itself or its private network. Use a receiver on the internet, or ask the operator to add the host to NOTIFY_ALLOWED_HOSTS.`,
      { fields: { target: `${refused}: notifications cannot be sent into the server's own network.` } },
    );
}
