/**
 * Runs face detection and embedding in worker threads (one per core by default) so the camera
 * readers, the HTTP server and the database writes on the main event loop never wait on a model.
 * Matching stays on the main thread: it is cheap and needs the galleries kept there.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FaceEngineOptions } from './engine';
import type {
  CameraFrameAnalysis,
  EngineCalls,
  EngineOp,
  EngineReady,
  EngineReply,
  EngineRequest,
  EnrollmentAnalysis,
  FrameRequest,
} from './engine-protocol';
import { ImageDecodeError } from './image';
import type { FaceTemplate } from './types';

export type { CameraFrameAnalysis, EnrollmentAnalysis } from './engine-protocol';

// Running from TypeScript sources (tsx, vitest): the thread registers the tsx loader, then loads the .ts file.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const THREAD_URL = new URL(FROM_SOURCE ? './engine-thread.ts' : './engine-thread.js', import.meta.url);

function spawnThread(workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(THREAD_URL, { workerData });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(THREAD_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
/** `worker` is null only while a thread that crashed before loading waits to be respawned. */
type Slot = {
  worker: Worker | null;
  loaded: boolean;
  busy: number;
  pending: Map<number, Pending>;
  respawn?: NodeJS.Timeout;
};
type LiveSlot = Slot & { worker: Worker };

// A thread that dies before its engine has loaded points at the install, not at one bad frame:
// respawning it at once would spin, so it waits this long first. Later crashes are replaced at once.
const RESPAWN_DELAY_MS = 1000;

export type FaceEnginePoolOptions = {
  size?: number;
  engine?: FaceEngineOptions;
  /** Told of each thread that crashed after start(); the pool has already replaced it. */
  onThreadCrash?: (err: Error) => void;
};

export class FaceEnginePool {
  private nextId = 1;
  private started = false;
  private closed = false;
  private readonly slots: Slot[] = [];

  private constructor(
    private readonly workerData: FaceEngineOptions,
    private readonly onThreadCrash?: (err: Error) => void,
  ) {}

  static async start(opts: FaceEnginePoolOptions = {}): Promise<FaceEnginePool> {
    const pool = new FaceEnginePool(opts.engine ?? {}, opts.onThreadCrash);
    const size = Math.max(1, opts.size ?? os.availableParallelism());
    const loads = Array.from({ length: size }, () => {
      const slot: Slot = { worker: null, loaded: false, busy: 0, pending: new Map() };
      pool.slots.push(slot);
      return pool.spawn(slot);
    });
    try {
      await Promise.all(loads);
    } catch (err) {
      await pool.close(); // don't leave the threads that did load running
      throw err;
    }
    pool.started = true;
    return pool;
  }

  /** Starts a thread in `slot`; resolves once its engine has loaded. */
  private spawn(slot: Slot): Promise<void> {
    const worker = spawnThread(this.workerData);
    slot.worker = worker;
    slot.loaded = false;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: EngineReply | EngineReady) => {
        if (!('ready' in m)) return this.settle(slot, m);
        if (!m.ready) return reject(new Error(`face engine failed to load: ${m.error}`));
        slot.loaded = true;
        resolve();
      });
      // An exception that escapes the thread gives 'error' then 'exit'; process.exit() or a fatal
      // native error gives 'exit' alone. crashed() acts on whichever comes first.
      worker.on('error', (err) => this.crashed(slot, worker, err instanceof Error ? err.message : String(err), reject));
      worker.on('exit', (code) => this.crashed(slot, worker, `exited with code ${code}`, reject));
    });
  }

  private settle(slot: Slot, m: EngineReply): void {
    const p = slot.pending.get(m.id);
    if (!p) return;
    slot.pending.delete(m.id);
    slot.busy--;
    if (m.ok) p.resolve(m.value);
    else
      p.reject(
        m.error.code
          ? new ImageDecodeError(m.error.code, m.error.message)
          : Object.assign(new Error(m.error.message), { name: m.error.name }),
      );
  }

  private crashed(slot: Slot, worker: Worker, reason: string, failLoad: (e: Error) => void): void {
    // close() ends threads on purpose; a replaced thread's second event ('exit' after 'error') is old news.
    if (this.closed || slot.worker !== worker) return;
    const err = new Error(`face engine thread crashed: ${reason}`);
    const wasLoaded = slot.loaded;
    slot.worker = null;
    slot.loaded = false;
    failLoad(err);
    // The dead thread will never answer what was sent to it.
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    slot.busy = 0;
    if (!this.started) return; // start() rejects instead
    this.onThreadCrash?.(err);
    // A replacement that fails to load stays up and answers every request with the load error, so
    // nothing waits on it; only its crashes come back here.
    const respawn = () => void this.spawn(slot).catch(() => {});
    if (wasLoaded) respawn();
    else slot.respawn = setTimeout(respawn, RESPAWN_DELAY_MS);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Requests queued or running across all threads. */
  get inFlight(): number {
    return this.slots.reduce((s, x) => s + x.busy, 0);
  }

  private call<Op extends EngineOp>(
    op: Op,
    bytes: Uint8Array,
    args: EngineCalls[Op]['args'],
  ): Promise<EngineCalls[Op]['answer']> {
    if (this.closed) return Promise.reject(new Error('face engine pool is closed'));
    // Loaded threads first, so a replacement still loading its models holds no one up while others
    // can answer; with none loaded, requests queue in a loading thread until its engine is ready.
    const live = this.slots.filter((s): s is LiveSlot => s.worker !== null);
    const loaded = live.filter((s) => s.loaded);
    const candidates = loaded.length > 0 ? loaded : live;
    if (candidates.length === 0)
      return Promise.reject(new Error('face engine thread crashed: no thread is running yet, one is being restarted'));
    const slot = candidates.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    const request = { id, op, bytes, args } as EngineRequest;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage(request);
    });
  }

  /**
   * Decode a JPEG/PNG/WebP camera frame and read its faces (FaceEngine.analyzeFrame): the camera
   * pipeline embeds each track only every few frames (`skipBoxes`), and between its full scans looks
   * only around the camera's known faces (`focusBoxes`; lib/face/onnx/scan-plan.ts). A face outside
   * them is not found, so the caller must scan the whole frame regularly.
   */
  analyzeFrame(bytes: Uint8Array, request: FrameRequest = {}): Promise<CameraFrameAnalysis> {
    return this.call('frame', bytes, request);
  }

  /** Quality gate + template for an enrollment photo. */
  enrollmentTemplate(bytes: Uint8Array): Promise<EnrollmentAnalysis> {
    return this.call('enroll', bytes, undefined);
  }

  /** Template of the largest face on an already accepted photo, without the quality gate (template rebuilds). */
  templateForAcceptedPhoto(bytes: Uint8Array): Promise<FaceTemplate | null> {
    return this.call('rebuild', bytes, undefined);
  }

  /**
   * Test hook: makes the thread that would take the next request die as a bug would (an uncaught
   * exception, or process.exit). Threads honour it only under NODE_ENV=test and refuse it otherwise.
   */
  crashThreadForTest(how: 'throw' | 'exit'): Promise<never> {
    return this.call('crash', new Uint8Array(0), { how });
  }

  async close(): Promise<void> {
    this.closed = true;
    const err = new Error('face engine pool is closed');
    for (const s of this.slots) {
      clearTimeout(s.respawn);
      for (const p of s.pending.values()) p.reject(err);
      s.pending.clear();
      s.busy = 0;
    }
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}
