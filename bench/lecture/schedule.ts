/**
 * The pure parts of the lecture bench: when each person of a hall walks in, which still "phases" the
 * stream is cut into (the set of people present changes only at a phase start), the frame the camera
 * sends at each moment, and what one camera's run amounts to (recall, time to record, wrong rows).
 */

/** One person's place in the hall, as lecture-hall.py lays it out (null name: an empty seat). */
export interface Seat {
  name: string | null;
  row: number;
  x: number;
  y: number;
  w: number;
}

/** lecture-hall.py's truth.json. */
export interface HallTruth {
  present: string[];
  absent: string[];
  strangers: string[];
  rows: Array<{ distance_m: number; face_px: number }>;
  mode: 'vga' | 'uxga';
  size: [number, number];
}

export interface ArrivalOptions {
  /** Arrivals are spread over the first this many seconds of the stream. */
  spreadSeconds: number;
  /** People walk in only at multiples of this (plus `offsetSeconds`), so few phases need rendering. */
  stepSeconds: number;
  /** Shifts this camera's arrivals, so that cameras do not all change at the same moment. */
  offsetSeconds: number;
}

/**
 * Seconds from the stream's start at which each person (present students and strangers) appears.
 * lecture-hall.py draws each arrival as a frame of the first half of its `frames`-frame clip; that order
 * is kept and stretched over `spreadSeconds`, rounded to whole steps.
 */
export function arrivalSchedule(
  scriptArrival: Record<string, number>,
  scriptFrames: number,
  o: ArrivalOptions,
): Map<string, number> {
  const half = Math.max(1, Math.floor(scriptFrames / 2));
  const out = new Map<string, number>();
  for (const [name, frame] of Object.entries(scriptArrival)) {
    const stretched = (frame / half) * o.spreadSeconds;
    out.set(name, o.offsetSeconds + o.stepSeconds * Math.round(stretched / o.stepSeconds));
  }
  return out;
}

/** A stretch of the stream during which the same people are in the hall. */
export interface Phase {
  startSeconds: number;
  present: string[];
}

/** The phases of a schedule: one from 0 (maybe an empty hall), then one per distinct arrival time. */
export function phasesOf(schedule: Map<string, number>): Phase[] {
  const starts = [...new Set([0, ...schedule.values()])].sort((a, b) => a - b);
  return starts.map((startSeconds) => ({
    startSeconds,
    present: [...schedule].filter(([, t]) => t <= startSeconds).map(([name]) => name),
  }));
}

/**
 * Which rendered frame the camera sends as its k-th frame: the phase in force at k / fps, and within
 * it the clip's frames in a loop. `clips[p]` is phase p's frame count. Returns [phase, frame in clip].
 */
export function timelineFrame(phases: Phase[], clips: number[], fps: number, k: number): [number, number] {
  const t = k / fps;
  let p = 0;
  while (p + 1 < phases.length && phases[p + 1]!.startSeconds <= t) p += 1;
  const first = Math.ceil(phases[p]!.startSeconds * fps);
  return [p, (k - first) % clips[p]!];
}

export interface Recorded {
  name: string;
  /** Milliseconds since the stream's first frame. */
  atMs: number;
  /** Who sits in the seat whose face carried the row (null: an empty seat); undefined when not traced. */
  seat?: string | null;
}

export interface CameraSummary {
  present: number;
  recorded: number;
  missed: string[];
  /** Per present student who was recorded: seconds from their first frame on screen to their row. */
  toRecordSeconds: Record<string, number>;
  /** Rows for enrolled students who were never in this hall (a stranger or another face taken for them). */
  notInHall: string[];
  /** Rows written before the student had walked in (someone else's face taken for them). */
  beforeArrival: string[];
  /** Rows carried by a stranger's face, as "student ← stranger". */
  strangersRecorded: string[];
  /** Rows carried by the face in another student's (or an empty) seat, as "student ← seat's occupant". */
  fromAnotherSeat: string[];
}

/** What one camera's run amounts to, from its truth, its arrival schedule and its attendance rows. */
export function summarizeCamera(truth: HallTruth, schedule: Map<string, number>, rows: Recorded[]): CameraSummary {
  const first = new Map<string, number>();
  for (const r of rows) if (!first.has(r.name) || r.atMs < first.get(r.name)!) first.set(r.name, r.atMs);
  const toRecordSeconds: Record<string, number> = {};
  const beforeArrival: string[] = [];
  for (const name of truth.present) {
    const at = first.get(name);
    if (at === undefined) continue;
    const arrived = (schedule.get(name) ?? 0) * 1000;
    // The stream start is known to within a frame or two; a row that early is still the student's own.
    if (at < arrived - 1_000) beforeArrival.push(name);
    else toRecordSeconds[name] = +Math.max(0, (at - arrived) / 1000).toFixed(1);
  }
  const present = new Set(truth.present);
  return {
    present: truth.present.length,
    recorded: truth.present.filter((n) => first.has(n)).length,
    missed: truth.present.filter((n) => !first.has(n)),
    toRecordSeconds,
    notInHall: [...first.keys()].filter((n) => !present.has(n)),
    beforeArrival,
    strangersRecorded: rows
      .filter((r) => r.seat && truth.strangers.includes(r.seat))
      .map((r) => `${r.name} ← ${r.seat}`),
    fromAnotherSeat: rows
      .filter((r) => r.seat !== undefined && r.seat !== r.name && !truth.strangers.includes(r.seat ?? ''))
      .map((r) => `${r.name} ← ${r.seat ?? 'empty seat'}`),
  };
}

export const quantile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};
