import type { Logger } from '@/lib/log';
import type { ObjectStorage } from '@/lib/storage';
import { listBackupManifests, rotateBackups } from './backups';
import { backupTime } from './backup-format';

export interface BackupSchedule {
  /** Resolves once a backup in progress has finished (it is never cut off half-written). */
  stop(): Promise<void>;
}

/**
 * The key of the backup that is due: the newest backup it follows and how many intervals after it
 * (rounded, so workers whose timers fire a little apart agree). Exported for tests.
 */
export function backupEventKey(
  newestBackupId: string | null,
  newestAt: Date | null,
  now: Date,
  intervalMs: number,
): string {
  const slot = newestAt
    ? Math.round((now.getTime() - newestAt.getTime()) / intervalMs)
    : Math.floor(now.getTime() / intervalMs);
  return `backup:${newestBackupId ?? 'none'}:${slot}`;
}

/**
 * Backs up every `intervalHours`, counting from the newest existing backup, so a worker that restarts
 * often neither skips backups nor makes one per restart. Failures are logged and retried next interval.
 * With several workers, each due backup is claimed first (`claim`): one worker makes it.
 */
export function startBackupSchedule(opts: {
  storage: ObjectStorage;
  intervalHours: number;
  keep: number;
  log: Logger;
  signal: AbortSignal;
  claim?: (key: string) => Promise<boolean>;
}): BackupSchedule {
  const intervalMs = opts.intervalHours * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped || opts.signal.aborted) return;
    timer = setTimeout(
      () => {
        running = run();
      },
      Math.max(0, delayMs),
    );
    timer.unref();
  };
  const run = async () => {
    try {
      const newest = (await listBackupManifests(opts.storage))[0];
      const key = backupEventKey(
        newest?.backup_id ?? null,
        newest ? backupTime(newest.backup_id) : null,
        new Date(),
        intervalMs,
      );
      if (opts.claim && !(await opts.claim(key))) opts.log.info({ key }, 'backup due: another worker makes it');
      else await rotateBackups(opts.storage, opts.keep);
    } catch (err) {
      opts.log.error({ err }, 'scheduled backup failed; retrying at the next interval');
    }
    schedule(intervalMs);
  };

  void (async () => {
    let delay = 0;
    try {
      const newest = (await listBackupManifests(opts.storage))[0];
      if (newest) delay = backupTime(newest.backup_id).getTime() + intervalMs - Date.now();
    } catch (err) {
      opts.log.warn({ err }, 'could not list existing backups; backing up now');
    }
    opts.log.info(
      { intervalHours: opts.intervalHours, keep: opts.keep, firstInMinutes: Math.round(Math.max(0, delay) / 60_000) },
      'backup schedule started',
    );
    schedule(delay);
  })();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
