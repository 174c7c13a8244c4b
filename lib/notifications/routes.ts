/**
 * Notification routes (per course or per lecturer): the input contract shared by the API and the
 * admin CLI, the public (masked) view, and the route → channel mapping that reuses the senders in
 * ./channels. Pure: no database.
 */
import { z } from 'zod';
import {
  NOTIFICATION_DIGESTS,
  NOTIFICATION_EVENT_KINDS,
  type NotificationEventKind,
  type NotificationRouteRow,
} from '@/db/schema';
import {
  slackChannel,
  TELEGRAM_TOKEN,
  TELEGRAM_TOKEN_RULE,
  telegramChannel,
  webhookChannel,
  type NotificationChannel,
} from './channels';
import { EMAIL_ADDRESS, emailChannel, normalEmail } from './email-channel';
import type { NotificationEvent } from './events';
import { AppError } from '@/lib/errors';
import { hostOf, refusedTarget } from './target-guard';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1024);
const events = z.array(z.enum(NOTIFICATION_EVENT_KINDS)).min(1).max(3).optional();
const enabled = z.boolean().optional();
/** `daily`: one summary at `digestHour` (CAMPUS_TIMEZONE) replaces the per-session and per-arrival messages. */
const digest = z.enum(NOTIFICATION_DIGESTS).optional();
const digestHour = z
  .number()
  .int()
  .min(0, 'digestHour is an hour, 0 to 23')
  .max(23, 'digestHour is an hour, 0 to 23')
  .optional();
const common = { events, enabled, digest, digestHour };

/** One channel's fields; `secret` is the webhook HMAC secret or the Telegram bot token. */
export const createNotificationRouteBody = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('webhook'),
    target: httpUrl,
    secret: z.string().min(16, 'webhook secret must be at least 16 characters').max(255),
    ...common,
  }),
  z.object({ channel: z.literal('slack'), target: httpUrl, ...common }),
  z.object({
    channel: z.literal('telegram'),
    target: z.string().regex(/^-?\d{1,20}$/, 'telegram target must be a numeric chat id'),
    secret: z
      .string()
      .min(1, 'telegram needs the bot token as secret')
      .max(255)
      .regex(TELEGRAM_TOKEN, TELEGRAM_TOKEN_RULE),
    ...common,
  }),
  z.object({
    channel: z.literal('email'),
    target: z
      .string()
      .trim()
      .max(254)
      .regex(EMAIL_ADDRESS, 'must be one e-mail address, such as name@campus.example')
      .transform(normalEmail),
    ...common,
  }),
]);
export type CreateNotificationRoute = z.infer<typeof createNotificationRouteBody>;

/** The event kinds a route can subscribe to, from the notification type. */
export function eventKind(event: NotificationEvent): NotificationEventKind {
  return event.type === 'session.closed' || event.type === 'digest.daily'
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
  if (route.channel === 'email') return false; // a lecturer's own address is allowed by the caller (lecturerMayMail)
  const host = hostOf(route.target);
  return host !== null && (allowedHosts.has(host) || (route.channel === 'slack' && host === 'hooks.slack.com'));
}

/**
 * A lecturer may send a course's e-mail only to their own account's address: the course's messages
 * (arrivals name students) must not go to an address nobody on the staff answers for. An admin adds
 * any address, and names still go only to the course's lecturer and admins (`namesTo`).
 */
export function lecturerMayMail(target: string, ownEmail: string): boolean {
  return normalEmail(target) === normalEmail(ownEmail);
}

/** E-mail routes need the server's SMTP settings; without them a saved route could never send. */
export function assertMailConfigured(smtpHost: string | undefined): void {
  if (!smtpHost)
    throw new AppError(
      'VALIDATION',
      'E-mail is not set up on this server: the operator sets SMTP_HOST and SMTP_FROM first.',
      {
        fields: { channel: 'E-mail is not set up on this server (SMTP_HOST).' },
      },
    );
}

/** What an e-mail route needs at send time: the campus zone for times, and who may read names. */
export type MailContext = {
  timeZone: string;
  /** Lower-cased addresses allowed to read students' names for this event: the course's lecturer and admins. */
  namesTo: ReadonlySet<string>;
};

/** The sender for a route, or null when it lacks what its channel needs (then it is skipped). */
export function channelForRoute(
  r: Pick<NotificationRouteRow, 'channel' | 'target' | 'secret'>,
  telegramApiBase: string,
  mail?: MailContext,
): NotificationChannel | null {
  switch (r.channel) {
    case 'email':
      if (!mail || !EMAIL_ADDRESS.test(r.target)) return null;
      return emailChannel(r.target, { names: mail.namesTo.has(normalEmail(r.target)), timeZone: mail.timeZone });
    case 'webhook':
      return r.secret ? webhookChannel(r.target, r.secret) : null;
    case 'slack':
      return slackChannel(r.target);
    case 'telegram':
      // A token saved before tokens were checked, and not one, is skipped: it would be pasted into the path.
      return r.secret && TELEGRAM_TOKEN.test(r.secret) ? telegramChannel(telegramApiBase, r.secret, r.target) : null;
  }
}

/** True when a route's daily digest replaces its messages of this kind (camera alerts stay immediate). */
export function digestReplaces(r: Pick<NotificationRouteRow, 'digest'>, kind: NotificationEventKind): boolean {
  return r.digest === 'daily' && kind !== 'camera_offline';
}

/** The channels of `routes` that subscribe to `event` (and do not take it in their daily digest instead). */
export function routeChannels(
  routes: readonly NotificationRouteRow[],
  event: NotificationEvent,
  telegramApiBase: string,
  mail?: MailContext,
): NotificationChannel[] {
  if (event.type === 'digest.daily') return [];
  const kind = eventKind(event);
  return routes
    .filter((r) => r.enabled && parseEvents(r.events).includes(kind) && !digestReplaces(r, kind))
    .flatMap((r) => channelForRoute(r, telegramApiBase, mail) ?? []);
}

/**
 * Refuses, with a 400 in words, a webhook or Slack target on an internal address (any spelling) that
 * the deployment did not allow. Telegram's host is the deployment's TELEGRAM_API_BASE, not the route's.
 */
export async function assertDeliverableTarget(
  route: { channel: string; target: string },
  allowedHosts: ReadonlySet<string>,
): Promise<void> {
  if (route.channel === 'telegram' || route.channel === 'email') return; // no URL: the server's own settings say where it connects
  const refused = await refusedTarget(route.target, allowedHosts);
  if (refused)
    throw new AppError(
      'VALIDATION',
      `This address cannot receive notifications: ${refused}, which means this server itself or its private network. Use a receiver on the internet, or ask the operator to add the host to NOTIFY_ALLOWED_HOSTS.`,
      { fields: { target: `${refused}: notifications cannot be sent into the server's own network.` } },
    );
}
