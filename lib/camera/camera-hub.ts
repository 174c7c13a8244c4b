import type { BackoffOptions } from '@/lib/backoff';
import { CameraConnection, type CameraConnectionStats, type CameraState } from './camera-connection';
import { FrameQueue } from './frame-queue';
import { silentLogger, type CameraLogger, type Frame, type FrameSource } from './types';

export interface CameraSubscription {
  readonly cameraId: string;
  /** This subscriber's own bounded queue; a slow subscriber loses its oldest frames, nobody else's. */
  readonly queue: FrameQueue<Frame>;
  unsubscribe(): void;
}

export interface CameraHubStats extends CameraConnectionStats {
  subscribers: number;
  /** Frames dropped by subscriber queues, all subscribers ever, summed. */
  dropped: number;
}

export interface CameraHubOptions {
  defaultQueueCapacity?: number;
  backoff?: Partial<BackoffOptions>;
  onStateChange?: (cameraId: string, state: CameraState) => void;
  logger?: CameraLogger;
}

interface CameraEntry {
  connection: CameraConnection;
  subscribers: Set<FrameQueue<Frame>>;
  droppedByGone: number;
}

/**
 * One connection per camera, shared by every consumer (an ESP32 serves one stream client). The
 * connection runs while the camera has at least one subscriber; each frame is fanned out to every
 * subscriber's queue. Frames are shared, not copied: consumers must not mutate `frame.jpeg`.
 */
export class CameraHub {
  private readonly cameras = new Map<string, CameraEntry>();
  private readonly defaultQueueCapacity: number;
  private readonly options: CameraHubOptions;
  private readonly logger: CameraLogger;

  constructor(options: CameraHubOptions = {}) {
    this.options = options;
    this.defaultQueueCapacity = options.defaultQueueCapacity ?? 4;
    this.logger = options.logger ?? silentLogger;
  }

  has(cameraId: string): boolean {
    return this.cameras.has(cameraId);
  }

  addCamera(cameraId: string, source: FrameSource, options: { backoff?: Partial<BackoffOptions> } = {}): void {
    if (this.cameras.has(cameraId)) throw new Error(`camera ${cameraId} is already registered`);
    const subscribers = new Set<FrameQueue<Frame>>();
    const connection = new CameraConnection({
      cameraId,
      source,
      backoff: { ...this.options.backoff, ...options.backoff },
      logger: this.logger,
      onStateChange: (state) => this.options.onStateChange?.(cameraId, state),
      onFrame: (frame) => {
        for (const queue of subscribers) queue.push(frame);
      },
    });
    this.cameras.set(cameraId, { connection, subscribers, droppedByGone: 0 });
  }

  async removeCamera(cameraId: string): Promise<void> {
    const entry = this.cameras.get(cameraId);
    if (!entry) return;
    this.cameras.delete(cameraId);
    for (const queue of entry.subscribers) queue.close();
    entry.subscribers.clear();
    await entry.connection.stop();
  }

  subscribe(cameraId: string, { capacity }: { capacity?: number } = {}): CameraSubscription {
    const entry = this.cameras.get(cameraId);
    if (!entry) throw new Error(`camera ${cameraId} is not registered`);
    const queue = new FrameQueue<Frame>(capacity ?? this.defaultQueueCapacity);
    entry.subscribers.add(queue);
    entry.connection.start();
    let subscribed = true;
    return {
      cameraId,
      queue,
      unsubscribe: () => {
        if (!subscribed) return;
        subscribed = false;
        queue.close();
        if (!entry.subscribers.delete(queue)) return;
        entry.droppedByGone += queue.dropped;
        // Nobody is watching: free the camera's single stream slot.
        if (entry.subscribers.size === 0) void entry.connection.stop();
      },
    };
  }

  stats(cameraId: string): CameraHubStats | undefined {
    const entry = this.cameras.get(cameraId);
    if (!entry) return undefined;
    let dropped = entry.droppedByGone;
    for (const queue of entry.subscribers) dropped += queue.dropped;
    return { ...entry.connection.stats(), subscribers: entry.subscribers.size, dropped };
  }

  statsAll(): CameraHubStats[] {
    return [...this.cameras.keys()].map((cameraId) => this.stats(cameraId)!);
  }

  /** Stops every connection (reverse of start order does not matter: cameras are independent). */
  async close(): Promise<void> {
    await Promise.all([...this.cameras.keys()].map((cameraId) => this.removeCamera(cameraId)));
  }
}
