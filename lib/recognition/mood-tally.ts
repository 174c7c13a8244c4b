/**
 * Class-mood counts on their way to the database: per session, summed in memory and added with one
 * upsert per session every flush. Only counts are kept — the readings arrive without track or student.
 * A flush that fails keeps its counts for the next one; counts still in memory when the process is
 * killed are lost, which costs a few seconds of a sample, never an attendance.
 */
import type { SessionMoodCounts } from '@/lib/data/session-mood';
import type { MoodSample } from '@/lib/face/mood';
import type { Logger } from '@/lib/log';

export const MOOD_FLUSH_MS = 15_000;

const empty = (): SessionMoodCounts => ({ happy: 0, neutral: 0, tired: 0, other: 0, eyesRead: 0 });

export class MoodTally {
  private readonly pending = new Map<string, SessionMoodCounts>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      add: (sessionId: string, counts: SessionMoodCounts) => Promise<void>;
      log: Logger;
      flushMs?: number;
    },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.deps.flushMs ?? MOOD_FLUSH_MS);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  record(sessionId: string, samples: readonly MoodSample[]): void {
    const c = this.pending.get(sessionId) ?? empty();
    for (const s of samples) {
      c[s.mood] += 1;
      if (s.eyesRead) c.eyesRead += 1;
    }
    this.pending.set(sessionId, c);
  }

  /** Sightings waiting to be written, over all sessions. */
  get waiting(): number {
    let n = 0;
    for (const c of this.pending.values()) n += c.happy + c.neutral + c.tired + c.other;
    return n;
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const batch = [...this.pending.entries()];
    this.pending.clear();
    for (const [sessionId, counts] of batch) {
      try {
        await this.deps.add(sessionId, counts);
        this.deps.log.info({ sessionId, ...counts }, 'class mood counted');
      } catch (err) {
        // Back in the queue, added to whatever arrived meanwhile.
        const now = this.pending.get(sessionId) ?? empty();
        for (const k of Object.keys(counts) as Array<keyof SessionMoodCounts>) now[k] += counts[k];
        this.pending.set(sessionId, now);
        this.deps.log.warn(
          { sessionId, err: (err as Error).message },
          'class mood counts not written; kept for the next flush',
        );
      }
    }
  }
}
