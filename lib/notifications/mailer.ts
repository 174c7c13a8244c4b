/**
 * SMTP delivery for e-mail notification routes, through nodemailer (no protocol code of our own).
 * One connection per message: notification mail is rare, and a dead connection is never reused.
 */
import nodemailer from 'nodemailer';
import type { ConnectionOptions } from 'node:tls';
import type { MailMessage } from './channels';

export type SmtpSettings = {
  SMTP_HOST?: string;
  SMTP_PORT?: number;
  SMTP_SECURE: boolean;
  SMTP_REQUIRE_TLS: boolean;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  SMTP_FROM?: string;
};

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Why a send failed, and whether trying again can help (like HTTP 5xx vs 4xx for the other channels). */
export function classifySmtpError(err: unknown): { reason: string; permanent: boolean } {
  const e = err as { code?: string; responseCode?: number; message?: string };
  if (typeof e.responseCode === 'number')
    // 4xx is "try again later" in SMTP; 5xx (unknown mailbox, 535 bad credentials) will not change.
    return { reason: `SMTP ${e.responseCode}`, permanent: e.responseCode >= 500 };
  // EAUTH without a reply code: no mechanism in common; ETLS: STARTTLS required but not offered.
  const permanent = e.code === 'EAUTH' || e.code === 'ETLS' || e.code === 'EENVELOPE';
  return { reason: e.code ?? e.message ?? 'send failed', permanent };
}

/**
 * The mailer for the SMTP_* settings, or null when SMTP_HOST is unset. `tls` adds TLS options (tests
 * trust their own certificate authority with `{ ca }`; never `rejectUnauthorized: false`).
 */
export function createMailer(
  s: SmtpSettings,
  extra: { tls?: ConnectionOptions; timeoutMs?: number } = {},
): Mailer | null {
  if (!s.SMTP_HOST || !s.SMTP_FROM) return null;
  const timeout = extra.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: s.SMTP_HOST,
    port: s.SMTP_PORT ?? (s.SMTP_SECURE ? 465 : 587),
    secure: s.SMTP_SECURE,
    // Without implicit TLS: upgrade with STARTTLS, and (default) refuse to send if the server will not.
    requireTLS: !s.SMTP_SECURE && s.SMTP_REQUIRE_TLS,
    auth: s.SMTP_USER && s.SMTP_PASSWORD ? { user: s.SMTP_USER, pass: s.SMTP_PASSWORD } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    tls: extra.tls,
  });
  const from = s.SMTP_FROM;
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transport.close(),
  };
}
