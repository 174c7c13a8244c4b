/**
 * Runs face detection and embedding in worker threads (one per core by default) so the camera
 * readers, the HTTP server and the database writes on the main event loop never wait on a model.
 * Matching stays on the main thread: it is cheap and needs the galleries kept there.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzedFace, FaceEngineOptions } from './engine';
import { ImageDecodeError, type ImageErrorCode } from './image';
import type { QualityVerdict } from './quality';
import type { DetectedFace, FaceBox, FaceTemplate } from './types';

export type FrameAnalysis = { width: number; height: number; faces: AnalyzedFace[] };
/** A camera frame: every face, with a template unless it overlapped one of the `skipBoxes`. */
export type CameraFrameAnalysis = { width: number; height: number; faces: Array<{ face: DetectedFace; template: FaceTemplate | null }> };
export type EnrollmentAnalysis = { verdict: QualityVerdict; template: FaceTemplate | null; width: number; height: number };

// Running from TypeScript sources (tsx, vitest): the thread registers the tsx loader, then loads the .ts file.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const THREAD_URL = new URL(FROM_SOURCE ? './engine-thread.ts' : './engine-thread.js', import.meta.url);

function spawnThread(workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(THREAD_URL, { workerData });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(THREAD_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

type Pending = { resolve: (v: never) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; busy: number; pending: Map<number, Pending> };
type Reply = { id: number; ok: true; value: never } | { id: number; ok: false; error: { name: string; message: string; code?: ImageErrorCode } };

export class FaceEnginePool {
  private nextId = 1;
  private closed = false;

  private constructor(private readonly slots: Slot[]) {}

  static async start(opts: { size?: number; engine?: FaceEngineOptions } = {}): Promise<FaceEnginePool> {
    const size = Math.max(1, opts.size ?? os.availableParallelism());
    const slots = await Promise.all(
      Array.from({ length: size }, async () => {
        const worker = spawnThread(opts.engine ?? {});
        await new Promise<void>((resolve, reject) => {
          const onMessage = (m: { ready?: boolean; error?: string }) => {
            if (m.ready === undefined) return;
            worker.off('message', onMessage);
            if (m.ready) resolve();
            else reject(new Error(`face engine failed to load: ${m.error}`));
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
        });
        const slot: Slot = { worker, busy: 0, pending: new Map() };
        worker.on('message', (m: Reply) => {
          const p = slot.pending.get(m.id);
          if (!p) return;
          slot.pending.delete(m.id);
          slot.busy--;
          if (m.ok) p.resolve(m.value);
          else p.reject(m.error.code ? new ImageDecodeError(m.error.code, m.error.message) : Object.assign(new Error(m.error.message), { name: m.error.name }));
        });
        worker.on('error', (err) => {
          for (const p of slot.pending.values()) p.reject(err);
          slot.pending.clear();
        });
        return slot;
      }),
    );
    return new FaceEnginePool(slots);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Requests queued or running across all threads. */
  get inFlight(): number {
    return this.slots.reduce((s, x) => s + x.busy, 0);
  }

  private call<T>(op: 'analyze' | 'enroll' | 'frame', bytes: Uint8Array, extra: { minFaceSize?: number; skipBoxes?: FaceBox[]; skipIoU?: number } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('face engine pool is closed'));
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      slot.worker.postMessage({ id, op, bytes, ...extra });
    });
  }

  /** Decode a JPEG/PNG/WebP frame and return every face with its template. */
  analyze(bytes: Uint8Array, opts: { minFaceSize?: number } = {}): Promise<FrameAnalysis> {
    return this.call('analyze', bytes, opts);
  }

  /**
   * Like `analyze`, but faces overlapping one of `skipBoxes` (IoU ≥ `skipIoU`, default 0.3) are
   * detected only, not embedded: the camera pipeline embeds each track only every few frames.
   */
  analyzeFrame(bytes: Uint8Array, opts: { minFaceSize?: number; skipBoxes?: FaceBox[]; skipIoU?: number } = {}): Promise<CameraFrameAnalysis> {
    return this.call('frame', bytes, opts);
  }

  /** Quality gate + template for an enrollment photo. */
  enrollmentTemplate(bytes: Uint8Array): Promise<EnrollmentAnalysis> {
    return this.call('enroll', bytes);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
