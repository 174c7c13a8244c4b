/**
 * How much camera work this worker keeps up with, and from that how many cameras it takes (its
 * effective capacity, written by its heartbeat so the other workers' fair share sees it).
 *
 * Measure: per camera, frames that arrived and frames analysed, and the age of the oldest frame
 * waiting in its queue, sampled at every lease round; the figures cover the last LOAD_WINDOW_MS with
 * the same cameras (a camera taken or given up starts a new window, so a verdict is always about
 * the cameras held now). A camera's queue drops its oldest frame when full, so a worker that cannot
 * keep up shows it as frames arrived but never analysed.
 *
 * Rule: the worker is saturated when, over a full window, it analysed less than KEEP_UP_SHARE of the
 * frames that arrived, or its queues were on average QUEUE_BEHIND_FRAMES frame intervals behind. A
 * saturated worker takes no more cameras (capacity = cameras held); when its throughput covers fewer
 * cameras than it holds, capacity drops to the number it covers, so the rest go to workers with room.
 * The limit is forgotten after LIMIT_HOLD_MS without saturation (a room's load changes over a day),
 * so a camera moves back at most that often. WORKER_CAPACITY stays the hard upper bound.
 */

/** The span the load figures cover: long enough that a healthy worker's frames in flight at its edges are noise. */
export const LOAD_WINDOW_MS = 30_000;
/** Below this share of arrived frames analysed, the worker is not keeping up (10 % margin for frames in flight). */
export const KEEP_UP_SHARE = 0.9;
/**
 * A worker with room analyses each frame before the next arrives, so its queues hold at most the frame
 * that just came in (< 1 interval). On average 2 intervals behind is half way to a full queue (4 frames),
 * where frames start being dropped.
 */
export const QUEUE_BEHIND_FRAMES = 2;
/** A verdict needs this many frames in the window (an idle or offline camera set says nothing about load). */
export const MIN_FRAMES = 30;
/** A learned limit is forgotten after this long without saturation. */
export const LIMIT_HOLD_MS = 10 * 60_000;

export interface CameraLoadSample {
  cameraId: string;
  /** Frames that arrived from the camera (counter). */
  arrived: number;
  /** Frames analysed, failed analyses included (counter). */
  analysed: number;
  /** Age of the oldest frame waiting in the camera's queue now; null when the queue is empty. */
  oldestQueuedMs: number | null;
}

export interface WorkerLoad {
  /** Seconds the figures cover (0 until the second sample with the same cameras). */
  windowSeconds: number;
  cameras: number;
  arrivedPerSecond: number;
  analysedPerSecond: number;
  /** Analysed ÷ arrived over the window; null when nothing arrived. */
  analysedShare: number | null;
  /** The oldest queued frame of any camera now (ms); null when every queue is empty. */
  oldestQueueAgeMs: number | null;
  /** Mean over the window's samples of the worst camera's queue age in its own frame intervals. */
  queueBehindFrames: number;
  /** A full window with enough frames: the verdict below means something. */
  judged: boolean;
  saturated: boolean;
}

interface Sample {
  at: number;
  cameras: Map<string, CameraLoadSample>;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Samples of the cameras' counters over the last window with the same cameras. */
export class LoadMeter {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = LOAD_WINDOW_MS) {}

  /** `at`: monotonic ms. A different set of cameras (or a counter that went back: a camera restarted) starts anew. */
  record(at: number, cameras: readonly CameraLoadSample[]): void {
    const next: Sample = { at, cameras: new Map(cameras.map((c) => [c.cameraId, c])) };
    const last = this.samples.at(-1);
    if (last && !sameCounters(last.cameras, next.cameras)) this.samples = [];
    this.samples.push(next);
    // Keep the newest sample at least a window old as the window's start.
    while (this.samples.length > 2 && at - this.samples[1]!.at >= this.windowMs) this.samples.shift();
  }

  load(): WorkerLoad {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    const cameras = last?.cameras.size ?? 0;
    const oldest = last ? Math.max(-1, ...[...last.cameras.values()].map((c) => c.oldestQueuedMs ?? -1)) : -1;
    const empty = { windowSeconds: 0, cameras, arrivedPerSecond: 0, analysedPerSecond: 0, analysedShare: null };
    if (!first || !last || first === last)
      return {
        ...empty,
        oldestQueueAgeMs: oldest < 0 ? null : oldest,
        queueBehindFrames: 0,
        judged: false,
        saturated: false,
      };
    const span = last.at - first.at;
    let arrived = 0;
    let analysed = 0;
    const intervalMs = new Map<string, number>();
    for (const [id, c] of last.cameras) {
      const a = c.arrived - first.cameras.get(id)!.arrived;
      arrived += a;
      analysed += c.analysed - first.cameras.get(id)!.analysed;
      if (a > 0) intervalMs.set(id, span / a);
    }
    // Queue age in frames, so a 2 fps and a 10 fps camera are judged alike.
    const behind = this.samples.slice(1).map((s) =>
      Math.max(
        0,
        ...[...s.cameras.values()].map((c) => {
          const interval = intervalMs.get(c.cameraId);
          return interval && c.oldestQueuedMs !== null ? c.oldestQueuedMs / interval : 0;
        }),
      ),
    );
    const queueBehindFrames = behind.reduce((s, x) => s + x, 0) / behind.length;
    const analysedShare = arrived > 0 ? Math.min(1, analysed / arrived) : null;
    const judged = span >= this.windowMs && arrived >= MIN_FRAMES;
    return {
      windowSeconds: round(span / 1000, 1),
      cameras,
      arrivedPerSecond: round((arrived * 1000) / span, 2),
      analysedPerSecond: round((analysed * 1000) / span, 2),
      analysedShare: analysedShare === null ? null : round(analysedShare, 3),
      oldestQueueAgeMs: oldest < 0 ? null : Math.round(oldest),
      queueBehindFrames: round(queueBehindFrames, 2),
      judged,
      saturated: judged && ((analysedShare ?? 1) < KEEP_UP_SHARE || queueBehindFrames >= QUEUE_BEHIND_FRAMES),
    };
  }
}

function sameCounters(a: Map<string, CameraLoadSample>, b: Map<string, CameraLoadSample>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y || y.arrived < x.arrived || y.analysed < x.analysed) return false;
  }
  return true;
}

export type CapacityReason =
  | 'room' // not saturated: up to WORKER_CAPACITY
  | 'measuring' // no full window with the cameras held now: the capacity stays as it was
  | 'saturated' // keeps what it holds, takes no more
  | 'overloaded' // gives up the cameras its throughput does not cover
  | 'limit'; // saturated earlier with this many cameras; kept until LIMIT_HOLD_MS passes calmly

export interface CapacityDecision {
  capacity: number;
  reason: CapacityReason;
}

/**
 * How many cameras this worker holds at most, from its load. Pure but for the state it keeps (the
 * learned limit and when it was last confirmed); `now` is monotonic ms.
 */
export class CapacityRule {
  private limit: number | null = null;
  private limitSince = 0;

  constructor(private readonly hardCap: number) {}

  decide(now: number, held: number, load: WorkerLoad): CapacityDecision {
    if (this.limit !== null && now - this.limitSince >= LIMIT_HOLD_MS && !load.saturated) this.limit = null;
    if (!load.judged || held === 0) return this.current(load.judged ? 'room' : 'measuring');
    if (!load.saturated) return this.current('room');
    // Cameras its measured throughput keeps up with, assuming the cameras it holds are alike; never below one.
    const share = load.analysedShare ?? 1;
    const covered = share < KEEP_UP_SHARE ? Math.max(1, Math.floor((held * share) / KEEP_UP_SHARE)) : held;
    this.limit = Math.min(this.hardCap, covered);
    this.limitSince = now;
    return { capacity: this.limit, reason: covered < held ? 'overloaded' : 'saturated' };
  }

  private current(otherwise: CapacityReason): CapacityDecision {
    if (this.limit === null)
      return { capacity: this.hardCap, reason: otherwise === 'measuring' ? 'measuring' : 'room' };
    return { capacity: this.limit, reason: otherwise === 'measuring' ? 'measuring' : 'limit' };
  }
}
