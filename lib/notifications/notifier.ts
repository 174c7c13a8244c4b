/**
 * Fire-and-forget delivery: `notify()` only enqueues and returns at once, so a slow or dead endpoint
 * can never hold up attendance. The queue is bounded (oldest dropped and counted, like the frame
 * queue); each delivery is retried with capped exponential backoff; failures are logged and counted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter } from 'prom-client';
import { fetch, type Agent } from 'undici';
import { backoffDelay } from '@/lib/backoff';
import { createLogger, type Logger } from '@/lib/log';
import { registry } from '@/lib/metrics';
import type { HttpChannel, MailChannel, NotificationChannel } from './channels';
import type { NotificationEvent } from './events';
import { classifySmtpError, type Mailer } from './mailer';
import { notificationAgent, TARGET_REFUSED } from './pinned-agent';
import { hostOf, normalHost, refusedAddress, type ResolveAll } from './target-guard';

const sent = new Counter({
  name: 'notifications_sent_total',
  help: 'Notifications delivered',
  labelNames: ['channel'] as const,
  registers: [registry],
});
const failed = new Counter({
  name: 'notifications_failed_total',
  help: 'Notifications given up after all retries',
  labelNames: ['channel'] as const,
  registers: [registry],
});
const retried = new Counter({
  name: 'notification_retries_total',
  help: 'Notification deliveries retried',
  labelNames: ['channel'] as const,
  registers: [registry],
});
const dropped = new Counter({
  name: 'notifications_dropped_total',
  help: 'Notifications dropped because the queue was full',
  registers: [registry],
});

export interface NotifierOptions {
  maxQueue?: number;
  /** Attempts per delivery, the first included (default 5). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Hosts that may resolve to internal addresses (NOTIFY_ALLOWED_HOSTS + the configured channels'); see target-guard.ts. */
  allowedHosts?: Iterable<string>;
  /** Plays DNS for the delivery agent (tests); default: the system resolver. */
  resolve?: ResolveAll;
  /** SMTP for e-mail channels (mailer.ts); without one an e-mail is counted failed at once. */
  mailer?: Mailer | null;
  log?: Logger;
}

type Job = { channel: NotificationChannel; event: NotificationEvent };

export class Notifier {
  private readonly queue: Job[] = [];
  private readonly opts: Required<Omit<NotifierOptions, 'log' | 'allowedHosts' | 'resolve' | 'mailer'>>;
  private readonly mailer: Mailer | null;
  private readonly allowedHosts: ReadonlySet<string>;
  /** Connects only to addresses it checked (pinned-agent.ts): DNS rebinding cannot reach an internal host. */
  private readonly agent: Agent;
  private readonly log: Logger;
  private worker: Promise<void> | null = null;
  private closed = false;
  private readonly stop = new AbortController();

  constructor(
    readonly channels: readonly NotificationChannel[],
    options: NotifierOptions = {},
  ) {
    this.opts = {
      maxQueue: options.maxQueue ?? 200,
      attempts: options.attempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 1_000,
      maxDelayMs: options.maxDelayMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.log = options.log ?? createLogger('notify');
    this.mailer = options.mailer ?? null;
    this.allowedHosts = new Set([...(options.allowedHosts ?? [])].map(normalHost));
    this.agent = notificationAgent(this.allowedHosts, options.resolve);
  }

  get enabled(): boolean {
    return this.channels.length > 0;
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Enqueues the event for every global channel (unless `global: false`) and every channel in `extra`
   * (a course's or lecturer's routes), each receiver once; never throws, never waits.
   */
  notify(event: NotificationEvent, extra: readonly NotificationChannel[] = [], { global = true } = {}): void {
    if (this.closed) return;
    const seen = new Set<string>();
    for (const channel of [...(global ? this.channels : []), ...extra]) {
      if (seen.has(channel.key)) continue;
      seen.add(channel.key);
      if (this.queue.length >= this.opts.maxQueue) {
        this.queue.shift();
        dropped.inc();
      }
      this.queue.push({ channel, event });
    }
    this.worker ??= this.drainLoop().finally(() => (this.worker = null));
  }

  /** Waits until the queue is empty (or `timeoutMs` passes); then stops retrying and drops the rest. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closed = true;
    const done = this.worker ?? Promise.resolve();
    await Promise.race([done, sleep(timeoutMs, undefined, { ref: false })]);
    this.stop.abort();
    this.queue.length = 0;
    await done.catch(() => undefined);
    await this.agent.close().catch(() => undefined);
    this.mailer?.close();
  }

  /** For tests: resolves when everything queued so far has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  private async drainLoop(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      try {
        await this.deliver(job);
      } catch (err) {
        // deliver() handles its own failures; this only guards the loop against bugs.
        this.log.error({ err }, 'notification loop error');
      }
    }
  }

  private async deliver({ channel, event }: Job): Promise<void> {
    if ('mail' in channel) return this.deliverMail(channel, event);
    return this.deliverHttp(channel, event);
  }

  /** Same rules as HTTP: transient failures (SMTP 4xx, connection, timeout) retried with backoff, permanent ones (5xx, auth) not. */
  private async deliverMail(channel: MailChannel, event: NotificationEvent): Promise<void> {
    if (!this.mailer) {
      failed.inc({ channel: channel.name });
      this.log.warn({ channel: channel.name, event: event.type }, 'e-mail not sent: SMTP_HOST is not set');
      return;
    }
    const mailer = this.mailer;
    const message = channel.mail(event);
    await this.withRetries(channel.name, event, async () => {
      // nodemailer has its own socket timeouts; this guard also ends a send when the Notifier closes.
      const guard = new AbortController();
      try {
        await Promise.race([
          mailer.send(message),
          sleep(this.opts.timeoutMs * 3, undefined, { signal: AbortSignal.any([guard.signal, this.stop.signal]) }).then(
            () => Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
          ),
        ]);
        return null;
      } catch (err) {
        const why = classifySmtpError(err);
        return { reason: why.reason, permanent: why.permanent };
      } finally {
        guard.abort();
      }
    });
  }

  private async deliverHttp(channel: HttpChannel, event: NotificationEvent): Promise<void> {
    const req = channel.request(event);
    const host = hostOf(req.url);
    const refused = host === null ? 'not a URL' : refusedAddress(host, this.allowedHosts);
    if (refused) {
      failed.inc({ channel: channel.name });
      this.log.warn({ channel: channel.name, event: event.type, reason: refused }, 'notification target refused');
      return;
    }
    await this.withRetries(channel.name, event, async () => {
      try {
        // Redirects are not followed: a receiver could otherwise bounce us to an internal address.
        const res = await fetch(req.url, {
          method: 'POST',
          body: req.body,
          headers: req.headers,
          redirect: 'manual',
          dispatcher: this.agent,
          signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.stop.signal]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return null;
        const redirect = res.status >= 300 && res.status < 400;
        return {
          reason: redirect ? `HTTP ${res.status} redirect (not followed)` : `HTTP ${res.status}`,
          // A redirect, or a 4xx other than 408/429 (bad token, unknown chat), will not get better by retrying.
          permanent: redirect || (res.status < 500 && res.status !== 408 && res.status !== 429),
          retryAfterMs: Number(res.headers.get('retry-after')) * 1000 || 0,
        };
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        // The name resolved to an internal address at connect time: refused, not retried.
        if (cause?.code === TARGET_REFUSED) return { reason: String(cause.message), permanent: true, refused: true };
        const reason =
          (err as Error).name === 'TimeoutError' ? 'timeout' : String(cause?.code ?? (err as Error).message);
        return { reason, permanent: false };
      }
    });
  }

  /**
   * Sends with `attempt` until it succeeds (null), fails permanently or runs out of attempts, waiting with
   * capped exponential backoff (at least a receiver's Retry-After) between tries; every outcome is counted
   * and a failure logged. Never with the target: an address is personal data, Telegram's URL carries the bot
   * token and Slack's is itself the secret.
   */
  private async withRetries(
    channelName: string,
    event: NotificationEvent,
    attempt: () => Promise<{ reason: string; permanent: boolean; retryAfterMs?: number; refused?: boolean } | null>,
  ): Promise<void> {
    for (let tries = 1; ; tries++) {
      const failure = await attempt();
      if (!failure) {
        sent.inc({ channel: channelName });
        return;
      }
      if (failure.refused) {
        failed.inc({ channel: channelName });
        this.log.warn(
          { channel: channelName, event: event.type, reason: failure.reason },
          'notification target refused',
        );
        return;
      }
      const attempts = failure.permanent ? this.opts.attempts : tries;
      if (attempts >= this.opts.attempts || this.stop.signal.aborted) {
        failed.inc({ channel: channelName });
        this.log.warn(
          { channel: channelName, event: event.type, attempts, reason: failure.reason },
          'notification not delivered',
        );
        return;
      }
      retried.inc({ channel: channelName });
      const delay = backoffDelay(tries - 1, {
        baseMs: this.opts.baseDelayMs,
        maxMs: this.opts.maxDelayMs,
        atLeastMs: failure.retryAfterMs ?? 0,
        jitter: 0.25,
      });
      await sleep(delay, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }
}
