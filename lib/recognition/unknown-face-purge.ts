/**
 * Deletes unknown-face crops and rows older than UNKNOWN_RETENTION_DAYS: once at start, then hourly.
 * A failing purge is logged and tried again at the next hour.
 */
import type { Logger } from '@/lib/log';
import type { UnknownFaceStore } from './unknown-face-store';

export interface UnknownFacePurgeOptions {
  store: Pick<UnknownFaceStore, 'purge'>;
  retentionDays: number;
  log: Logger;
  intervalMs?: number;
}

export function startUnknownFacePurge(opts: UnknownFacePurgeOptions): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const purge = () => {
    running = opts.store.purge(opts.retentionDays).then(
      (n) => n > 0 && opts.log.info({ purged: n }, 'unknown faces purged'),
      (err: unknown) => opts.log.warn({ err }, 'unknown-face purge failed'),
    );
  };
  purge();
  const timer = setInterval(purge, opts.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
