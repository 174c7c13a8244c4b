/**
 * Channels turn an event into one HTTP request (or, for e-mail, one message: ./email-channel.ts). Base
 * URLs come from settings, so tests (and proxies) can point them at any server; the Notifier does the
 * sending and retrying.
 */
import { createHmac } from 'node:crypto';
import { eventText, type NotificationEvent } from './events';

export type ChannelRequest = { url: string; body: string; headers: Record<string, string> };

export interface HttpChannel {
  /** Metric label and log name: 'webhook' | 'slack' | 'telegram'. */
  readonly name: string;
  /** Who receives it (URL or Telegram chat): two channels with the same key would repeat a message. */
  readonly key: string;
  request(event: NotificationEvent): ChannelRequest;
}

/** What an e-mail channel hands to the SMTP mailer (./mailer.ts): one recipient, text and HTML bodies. */
export type MailMessage = { to: string; subject: string; text: string; html: string };

export interface MailChannel {
  /** Always 'email'. */
  readonly name: string;
  /** `email <address>`, lower-cased. */
  readonly key: string;
  mail(event: NotificationEvent): MailMessage;
}

/** HTTP channels send a request; e-mail channels a message through SMTP (the Notifier tells them apart). */
export type NotificationChannel = HttpChannel | MailChannel;

const json = { 'content-type': 'application/json' };

/** `sha256=<hex HMAC-SHA256 of the exact body>`, GitHub-style, so receivers can verify with one line. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookChannel(url: string, secret: string): HttpChannel {
  return {
    name: 'webhook',
    key: `webhook ${url}`,
    request(event) {
      const body = JSON.stringify({ ...event, text: eventText(event), sent_at: new Date().toISOString() });
      return { url, body, headers: { ...json, 'x-signature': signBody(body, secret), 'x-event-type': event.type } };
    },
  };
}

export function slackChannel(url: string): HttpChannel {
  return {
    name: 'slack',
    key: `slack ${url}`,
    request: (event) => ({ url, body: JSON.stringify({ text: eventText(event) }), headers: json }),
  };
}

/** A Bot API token (`123456:AA…`): it is pasted into the request path, so nothing else may pass (no `/`, `?`, `..`). */
export const TELEGRAM_TOKEN = /^\d+:[A-Za-z0-9_-]{30,}$/;
export const TELEGRAM_TOKEN_RULE =
  'a Telegram bot token looks like 123456789:AAE…: digits, a colon, then at least 30 letters, digits, _ or -';

export function telegramChannel(apiBase: string, token: string, chatId: string): HttpChannel {
  if (!TELEGRAM_TOKEN.test(token)) throw new Error(`Not a Telegram bot token: ${TELEGRAM_TOKEN_RULE}`);
  const url = `${apiBase.replace(/\/+$/, '')}/bot${token}/sendMessage`;
  return {
    name: 'telegram',
    key: `telegram ${chatId}`,
    request: (event) => ({
      url,
      body: JSON.stringify({ chat_id: chatId, text: eventText(event), disable_web_page_preview: true }),
      headers: json,
    }),
  };
}

export type ChannelSettings = {
  NOTIFY_WEBHOOK_URL?: string;
  NOTIFY_WEBHOOK_SECRET?: string;
  NOTIFY_SLACK_WEBHOOK_URL?: string;
  NOTIFY_TELEGRAM_BOT_TOKEN?: string;
  NOTIFY_TELEGRAM_CHAT_ID?: string;
  TELEGRAM_API_BASE: string;
};

/** The channels configured in the environment (none: notifications are off). */
export function channelsFromSettings(s: ChannelSettings): NotificationChannel[] {
  const out: NotificationChannel[] = [];
  if (s.NOTIFY_WEBHOOK_URL && s.NOTIFY_WEBHOOK_SECRET)
    out.push(webhookChannel(s.NOTIFY_WEBHOOK_URL, s.NOTIFY_WEBHOOK_SECRET));
  if (s.NOTIFY_SLACK_WEBHOOK_URL) out.push(slackChannel(s.NOTIFY_SLACK_WEBHOOK_URL));
  if (s.NOTIFY_TELEGRAM_BOT_TOKEN && s.NOTIFY_TELEGRAM_CHAT_ID)
    out.push(telegramChannel(s.TELEGRAM_API_BASE, s.NOTIFY_TELEGRAM_BOT_TOKEN, s.NOTIFY_TELEGRAM_CHAT_ID));
  return out;
}
