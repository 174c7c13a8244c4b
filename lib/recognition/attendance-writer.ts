/**
 * Writes recognitions to the database without ever blocking recognition, and without losing them
 * while the database is away: items wait in a bounded in-memory buffer and are written in order when
 * it answers again. The write is the idempotent upsert (one row per session+student, first sighting
 * wins), so retrying an item whose first attempt did reach the server cannot duplicate it.
 * With a journal (attendance-journal.ts) the buffer is also on disk, so a killed worker loses
 * nothing; an item dropped because the buffer is full is reported (`onDropped`), never silent.
 */
import type { RecordAttendanceInput } from '@/lib/attendance/record-decision';
import { backoffDelay } from '@/lib/backoff';
import type { RecordAttendanceResult } from '@/lib/data/attendances';

export interface PendingRecognition {
  input: RecordAttendanceInput;
  courseId: string;
  /** Date.now() when the frame that decided it arrived (for latency figures). */
  frameArrivedAt?: number;
  /** Sightings the track's vote took (logged with the row). */
  votes?: number;
}

export interface WrittenRecognition extends PendingRecognition {
  result: RecordAttendanceResult;
}

export interface AttendanceWriterDeps {
  record: (input: RecordAttendanceInput) => Promise<RecordAttendanceResult>;
  /** Checked at write time: an enrolment removed after the gallery was built still blocks the row. */
  isEnrolled: (courseId: string, studentId: string) => Promise<boolean>;
  /** Errors that will not go away by retrying (the row is wrong, not the connection): refused, not buffered. */
  isPermanent: (err: unknown) => boolean;
  onWritten?: (written: WrittenRecognition) => void;
  onRejected?: (item: PendingRecognition, reason: string) => void;
  onError?: (err: unknown, buffered: number) => void;
  /** An item dropped because `maxBuffered` items were already waiting (the oldest goes). */
  onDropped?: (item: PendingRecognition) => void;
  /** Durable copy of the buffer: `add` before an item is queued, `done` once it is written or refused. */
  journal?: { add(item: PendingRecognition): void; done(item: PendingRecognition): void };
  /** Oldest items are dropped (and counted) beyond this; at 1 row per student per session it is generous. */
  maxBuffered?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface AttendanceWriterStats {
  buffered: number;
  written: number;
  rejected: number;
  droppedOverflow: number;
  failedAttempts: number;
  lastError: string | null;
}

export class AttendanceWriter {
  private readonly queue: PendingRecognition[] = [];
  private readonly maxBuffered: number;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly counters: AttendanceWriterStats = {
    buffered: 0,
    written: 0,
    rejected: 0,
    droppedOverflow: 0,
    failedAttempts: 0,
    lastError: null,
  };

  constructor(private readonly deps: AttendanceWriterDeps) {
    this.maxBuffered = deps.maxBuffered ?? 10_000;
  }

  stats(): AttendanceWriterStats {
    return { ...this.counters, buffered: this.queue.length };
  }

  submit(item: PendingRecognition): void {
    this.deps.journal?.add(item);
    this.enqueue(item);
  }

  /** Items replayed from the journal at start: queued again, not journaled twice. */
  restore(items: PendingRecognition[]): void {
    for (const item of items) this.enqueue(item);
  }

  private enqueue(item: PendingRecognition): void {
    if (this.queue.length >= this.maxBuffered) {
      const dropped = this.queue.shift() as PendingRecognition;
      this.counters.droppedOverflow += 1;
      this.deps.journal?.done(dropped);
      this.deps.onDropped?.(dropped);
    }
    this.queue.push(item);
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  /** Resolves once everything buffered so far is written (or `timeoutMs` passes). */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      this.wake?.();
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.queue.length === 0;
  }

  /** Resolves once no buffered item matches `pred` (or `timeoutMs` passes); true when none is left. */
  async drainWhere(pred: (item: PendingRecognition) => boolean, timeoutMs = 3_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.some(pred) && Date.now() < deadline) {
      this.wake?.();
      await new Promise((r) => setTimeout(r, 20));
    }
    return !this.queue.some(pred);
  }

  /** Stops retrying; returns the items that could not be written (the caller logs them). */
  async close(timeoutMs = 5_000): Promise<PendingRecognition[]> {
    await this.drain(timeoutMs);
    this.closed = true;
    this.wake?.();
    await this.flushing;
    return this.queue.splice(0);
  }

  /** By identity: the overflow rule may have dropped the head while it was being written. */
  private remove(item: PendingRecognition): void {
    const i = this.queue.indexOf(item);
    if (i !== -1) this.queue.splice(i, 1);
  }

  private async flushLoop(): Promise<void> {
    let attempt = 0;
    while (this.queue.length > 0 && !this.closed) {
      const item = this.queue[0] as PendingRecognition;
      try {
        if (!(await this.deps.isEnrolled(item.courseId, item.input.studentId))) {
          this.counters.rejected += 1;
          this.deps.onRejected?.(item, 'not-enrolled');
        } else {
          const result = await this.deps.record(item.input);
          this.counters.written += 1;
          this.deps.onWritten?.({ ...item, result });
        }
        this.deps.journal?.done(item);
        this.remove(item);
        attempt = 0;
      } catch (err) {
        this.counters.lastError = err instanceof Error ? err.message : String(err);
        if (this.deps.isPermanent(err)) {
          this.deps.journal?.done(item);
          this.remove(item);
          this.counters.rejected += 1;
          this.deps.onRejected?.(item, this.counters.lastError);
          continue;
        }
        this.counters.failedAttempts += 1;
        this.deps.onError?.(err, this.queue.length);
        const delay = backoffDelay(Math.min(attempt++, 10), {
          baseMs: this.deps.retryBaseMs ?? 250,
          maxMs: this.deps.retryMaxMs ?? 5_000,
          jitter: 0,
        });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }
}
