import 'server-only';
import { findCameraOwnerUrl } from '@/lib/data/camera-leases';
import { env } from '@/lib/env';

/**
 * Which worker a camera's frames (and last-frame requests) go to: the one holding the camera's
 * lease, found in the workers table, or the fixed WORKER_URL when that is set (a single worker).
 * Owners are cached for a second so a camera pushing 5 frames/s costs one lookup a second; a
 * failed hand-off forgets the entry so the next frame asks again (the camera may have moved).
 */
export class WorkerTargets {
  private readonly cache = new Map<string, { url: string | null; at: number }>();

  constructor(
    private readonly lookup: (cameraId: string) => Promise<string | null>,
    private readonly fixedUrl: string | null,
    private readonly ttlMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The worker's base URL, or null when no worker holds the camera now. */
  async urlFor(cameraId: string): Promise<string | null> {
    if (this.fixedUrl) return this.fixedUrl;
    const hit = this.cache.get(cameraId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.url;
    const url = await this.lookup(cameraId);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cameraId, { url, at: this.now() });
    return url;
  }

  forget(cameraId: string): void {
    this.cache.delete(cameraId);
  }
}

let targets: WorkerTargets | undefined;

/** The web process's resolver (one cache for all requests). */
export function workerTargets(): WorkerTargets {
  const settings = env();
  targets ??= new WorkerTargets(findCameraOwnerUrl, settings.workerUrlFixed ? settings.WORKER_URL : null);
  return targets;
}

/** For tests: forget the resolver (after changing WORKER_URL). */
export function resetWorkerTargets(): void {
  targets = undefined;
}
