/**
 * Where a camera's unknown faces end: the lecturer's review queue (unknown-face-store.ts), never an
 * attendance row. A face is queued only while this worker holds the camera's lease; when its track
 * is recognised after all, its entry is withdrawn again (unless someone reviewed it already), so a
 * lecturer does not review a student the camera has recorded.
 */
import type { Logger } from '@/lib/log';
import type { UnknownTrack } from './frame-pipeline';
import { pipelineEvents } from './pipeline-stats';
import type { UnknownFaceStore } from './unknown-face-store';

/** Tracks remembered for a later withdrawal; beyond this the oldest go (their faces simply stay queued). */
const MAX_REMEMBERED = 10_000;

export interface ReviewQueueDeps {
  store: Pick<UnknownFaceStore, 'save' | 'withdraw'>;
  /** Whether this worker holds the camera's lease (lease-manager.ts). */
  holds: (cameraId: string) => boolean;
  log: Logger;
}

export class ReviewQueue {
  /** Entries being saved, by `<cameraId>/<trackRef>`: the entry's id once saved (null: not saved). */
  private readonly queued = new Map<string, Promise<string | null>>();
  /** Saves and withdrawals still under way: `settle()` lets them finish. */
  private readonly work = new Set<Promise<unknown>>();

  constructor(private readonly deps: ReviewQueueDeps) {}

  /** Queues an unknown (or suspected-spoof) track's best face for review. */
  add(track: UnknownTrack): void {
    const { store, holds, log } = this.deps;
    if (!holds(track.cameraId)) return;
    const saving = this.track(store.save(track));
    if (track.trackRef) {
      this.queued.set(
        `${track.cameraId}/${track.trackRef}`,
        saving.catch(() => null),
      );
      if (this.queued.size > MAX_REMEMBERED) this.queued.delete(this.queued.keys().next().value as string);
    }
    saving.then(
      (unknownId) =>
        pipelineEvents.emit('unknown', {
          cameraId: track.cameraId,
          sessionId: track.sessionId,
          unknownId,
          kind: track.kind ?? 'unknown',
          at: track.seenAt.toISOString(),
        }),
      (err: unknown) => log.warn({ err, cameraId: track.cameraId }, 'unknown face not saved'),
    );
  }

  /** The camera's tracks `trackRefs`, queued as unknown, were recognised as `studentId`: their entries go. */
  withdraw(camera: { cameraId: string; name: string }, trackRefs: string[], studentId: string): void {
    const { store, log } = this.deps;
    for (const ref of trackRefs) {
      const key = `${camera.cameraId}/${ref}`;
      const saved = this.queued.get(key);
      this.queued.delete(key);
      if (!saved) continue;
      void this.track(
        saved
          .then((unknownId) => (unknownId ? store.withdraw(unknownId) : false))
          .then(
            (gone) =>
              gone &&
              log.info(
                { camera: camera.name, track: ref, studentId },
                'unknown face withdrawn from review: recognised later',
              ),
            (err: unknown) =>
              log.warn({ err: String(err), camera: camera.name, track: ref }, 'unknown face not withdrawn'),
          ),
      );
    }
  }

  /** Resolves once the saves and withdrawals under way have landed, or after `timeoutMs` (a database that is down). */
  async settle(timeoutMs = 5_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.work]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    // Failures are handled (logged) where `p` is used; this copy only tracks that it is still running.
    const done: Promise<unknown> = p.catch(() => undefined).finally(() => this.work.delete(done));
    this.work.add(done);
    return p;
  }
}
