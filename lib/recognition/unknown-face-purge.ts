/**
 * Deletes unknown-face crops and rows older than UNKNOWN_RETENTION_DAYS: once at start, then hourly.
 * A failing purge is logged and tried again at the next hour. With several workers the purge of each
 * clock hour is claimed first (`claim`): one worker runs it.
 */
import type { Logger } from '@/lib/log';
import type { UnknownFaceStore } from './unknown-face-store';

export interface UnknownFacePurgeOptions {
  store: Pick<UnknownFaceStore, 'purge'>;
  retentionDays: number;
  log: Logger;
  intervalMs?: number;
  claim?: (key: string) => Promise<boolean>;
  /** Also run with each purge this worker runs (e.g. forgetting old event claims). */
  alsoPurge?: () => Promise<unknown>;
}

export function startUnknownFacePurge(opts: UnknownFacePurgeOptions): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const intervalMs = opts.intervalMs ?? 3_600_000;
  const purge = () => {
    const key = `purge:unknown-faces:${Math.floor(Date.now() / intervalMs)}`;
    running = (async () => {
      if (opts.claim && !(await opts.claim(key))) return 0;
      const n = await opts.store.purge(opts.retentionDays);
      await opts.alsoPurge?.();
      return n;
    })().then(
      (n) => n > 0 && opts.log.info({ purged: n }, 'unknown faces purged'),
      (err: unknown) => opts.log.warn({ err }, 'unknown-face purge failed'),
    );
  };
  purge();
  const timer = setInterval(purge, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
