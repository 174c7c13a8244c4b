import type { AttendanceChanges, LiveAttendance, LiveUnknownFace } from '@/lib/data/live-attendance';

/** Why a live stream ended on the server's side: the client stops reconnecting. */
export type StreamEnd = 'signed_out' | 'session_ended';

export interface LiveStreamOptions {
  /** Rows changed after `since`, plus the session's row count. */
  poll: (since: Date) => Promise<AttendanceChanges>;
  /** The full list, for the first event and after a deletion. */
  snapshot: () => Promise<LiveAttendance[]>;
  signal: AbortSignal;
  intervalMs?: number;
  /** Re-read this much before the newest row seen: a write committed late with an older updated_at is still caught. */
  overlapMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** The session's review queue (unknown faces, suspected spoofs); sent whole as `unknown` when it changes. */
  unknown?: () => Promise<LiveUnknownFace[]>;
  /** Asked every `checkMs`: a reason ends the stream with an `end` event (user disabled, session over). */
  check?: () => Promise<StreamEnd | null>;
  checkMs?: number;
  /** Called once when the stream ends, however it ends (client gone, aborted, cancelled). */
  onClose?: () => void;
}

/**
 * Live streams open per user: each one polls the database twice a second, so one user cannot open
 * an unbounded number (a page left open in many tabs, or a script). In this web process's memory.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>();
  constructor(readonly perUser: number) {}

  /** A release function, or null when the user already has `perUser` streams open. */
  acquire(userId: string): (() => void) | null {
    const n = this.open.get(userId) ?? 0;
    if (n >= this.perUser) return null;
    this.open.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left <= 0) this.open.delete(userId);
      else this.open.set(userId, left);
    };
  }
}

/** Live session views one user may have open at once (tabs, screens in a lecture hall). */
export const LIVE_STREAMS_PER_USER = 5;
export const liveStreamSlots = new StreamSlots(LIVE_STREAMS_PER_USER);

const encoder = new TextEncoder();
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * Server-Sent Events for the live session page. The database is the source of truth: every
 * `intervalMs` it asks for rows changed since the newest one already sent (with a small overlap),
 * sends only rows whose updated_at moved (`upsert`), and a full `snapshot` when the row count drops
 * (a "not this person" correction deleted one). The review queue goes whole as `unknown` whenever it
 * changes (a new face, a review, a withdrawal). Every `checkMs` `check` may end the stream with an
 * `end` event: a disabled user's or an ended session's stream does not outlive it.
 */
export function liveAttendanceStream(opts: LiveStreamOptions): ReadableStream<Uint8Array> {
  const intervalMs = opts.intervalMs ?? 500;
  const overlapMs = opts.overlapMs ?? 2_000;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const checkMs = opts.checkMs ?? 2_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const sent = new Map<string, string>();
      let newest = 0;
      let count = 0;
      let lastWrite = Date.now();
      let lastCheck = Date.now();
      let unknownSent: string | undefined;
      const close = () => {
        if (closed) return;
        closed = true;
        opts.onClose?.();
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      opts.signal.addEventListener('abort', close, { once: true });
      const remember = (rows: LiveAttendance[]) => {
        for (const r of rows) {
          sent.set(r.attendanceId, r.updatedAt);
          newest = Math.max(newest, Date.parse(r.updatedAt));
        }
      };
      const sendSnapshot = async () => {
        const rows = await opts.snapshot();
        sent.clear();
        remember(rows);
        count = rows.length;
        controller.enqueue(event('snapshot', rows));
        lastWrite = Date.now();
      };
      const sendUnknown = async () => {
        if (!opts.unknown) return;
        const faces = await opts.unknown();
        const json = JSON.stringify(faces);
        if (json === unknownSent) return;
        unknownSent = json;
        controller.enqueue(encoder.encode(`event: unknown\ndata: ${json}\n\n`));
        lastWrite = Date.now();
      };
      /** True when the stream was ended. */
      const ended = async () => {
        if (!opts.check) return false;
        lastCheck = Date.now();
        const reason = await opts.check();
        if (!reason || closed) return false;
        controller.enqueue(event('end', { reason }));
        close();
        return true;
      };
      const tick = async () => {
        if (closed) return;
        try {
          if (Date.now() - lastCheck >= checkMs && (await ended())) return;
          await sendUnknown();
          const changes = await opts.poll(new Date(Math.max(0, newest - overlapMs)));
          if (changes.count < count) {
            await sendSnapshot();
          } else {
            const fresh = changes.rows.filter((r) => sent.get(r.attendanceId) !== r.updatedAt);
            count = changes.count;
            if (fresh.length > 0) {
              remember(fresh);
              controller.enqueue(event('upsert', fresh));
              lastWrite = Date.now();
            } else if (Date.now() - lastWrite > heartbeatMs) {
              controller.enqueue(encoder.encode(': keep-alive\n\n'));
              lastWrite = Date.now();
            }
          }
        } catch {
          // A failed poll (DB blip) is retried on the next tick; the client keeps its list.
          if (!closed) controller.enqueue(event('error', { message: 'poll failed' }));
        }
        if (!closed) timer = setTimeout(tick, intervalMs);
      };
      try {
        controller.enqueue(encoder.encode('retry: 1000\n\n'));
        await sendSnapshot();
        await sendUnknown();
        if (await ended()) return;
      } catch {
        if (closed) return;
        controller.enqueue(event('error', { message: 'snapshot failed' }));
      }
      timer = setTimeout(tick, intervalMs);
    },
    cancel() {
      if (!closed) opts.onClose?.();
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
}
