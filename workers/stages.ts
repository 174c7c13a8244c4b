import type { Logger } from '@/lib/log';

/** Undoes what `start` did (close pool, stop readers, ...). */
export type StopFn = () => Promise<void> | void;

export interface Stage {
  name: string;
  /** Starts the stage; `signal` aborts when the process is shutting down. Returns how to stop it. */
  start: (signal: AbortSignal) => Promise<StopFn | void>;
}

export interface RunningStages {
  /** Stops the started stages in reverse order; safe to call more than once. */
  stop: () => Promise<void>;
}

/**
 * Starts stages in order. If one fails, the ones already started are stopped in reverse and the
 * error is rethrown, so a half-started worker never lingers.
 */
export async function startStages(stages: readonly Stage[], signal: AbortSignal, log: Logger): Promise<RunningStages> {
  const started: { name: string; stop: StopFn }[] = [];
  let stopping: Promise<void> | undefined;

  const stop = () => {
    stopping ??= (async () => {
      for (const s of [...started].reverse()) {
        const t0 = performance.now();
        try {
          await s.stop();
          log.info({ stage: s.name, ms: Math.round(performance.now() - t0) }, 'stage stopped');
        } catch (err) {
          log.error({ stage: s.name, err }, 'stage failed to stop cleanly');
        }
      }
    })();
    return stopping;
  };

  for (const stage of stages) {
    if (signal.aborted) break;
    const t0 = performance.now();
    try {
      const stopFn = await stage.start(signal);
      started.push({ name: stage.name, stop: stopFn ?? (() => undefined) });
      log.info({ stage: stage.name, ms: Math.round(performance.now() - t0) }, 'stage started');
    } catch (err) {
      log.error({ stage: stage.name, err }, 'stage failed to start');
      await stop();
      throw err;
    }
  }
  return { stop };
}
