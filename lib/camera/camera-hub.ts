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
  /** When the oldest frame still waiting in any subscriber's queue arrived (ms since epoch); null when all are empty. */
  oldestQueuedAt: number | null;
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
  backoff?: Partial<BackoffOptions>;
  /** The newest frame, for "Test connection" while this connection holds a one-viewer camera. */
  latest?: Frame;
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
    const entry: Omit<CameraEntry, 'connection'> & { connection?: CameraConnection } = {
      subscribers: new Set<FrameQueue<Frame>>(),
      droppedByGone: 0,
      backoff: options.backoff,
    };
    entry.connection = this.connect(cameraId, source, entry as CameraEntry);
    this.cameras.set(cameraId, entry as CameraEntry);
  }

  private connect(cameraId: string, source: FrameSource, entry: CameraEntry): CameraConnection {
    const connection: CameraConnection = new CameraConnection({
      cameraId,
      source,
      backoff: { ...this.options.backoff, ...entry.backoff },
      logger: this.logger,
      onStateChange: (state) => this.options.onStateChange?.(cameraId, state),
      onFrame: (frame) => {
        // A replaced connection's last frames (while it closes) go nowhere.
        if (entry.connection !== connection) return;
        entry.latest = frame;
        for (const queue of entry.subscribers) queue.push(frame);
      },
    });
    return connection;
  }

  /**
   * The camera's source changed (a new URL, pull ↔ push): the old connection is closed first (a
   * one-viewer camera frees its slot), then the new one runs for the same subscribers and queues.
   */
  async replaceSource(cameraId: string, source: FrameSource): Promise<void> {
    const entry = this.cameras.get(cameraId);
    if (!entry) throw new Error(`camera ${cameraId} is not registered`);
    const old = entry.connection;
    entry.connection = this.connect(cameraId, source, entry);
    entry.latest = undefined;
    await old.stop();
    // Removed meanwhile: the new connection never starts.
    if (this.cameras.get(cameraId) === entry && entry.subscribers.size > 0) entry.connection.start();
  }

  /** The newest frame the camera's current connection delivered, if any. */
  latestFrame(cameraId: string): Frame | undefined {
    return this.cameras.get(cameraId)?.latest;
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
    let oldestQueuedAt: number | null = null;
    for (const queue of entry.subscribers) {
      dropped += queue.dropped;
      const head = queue.peek()?.receivedAt;
      if (head !== undefined && (oldestQueuedAt === null || head < oldestQueuedAt)) oldestQueuedAt = head;
    }
    return { ...entry.connection.stats(), subscribers: entry.subscribers.size, dropped, oldestQueuedAt };
  }

  /** Stops every connection (reverse of start order does not matter: cameras are independent). */
  async close(): Promise<void> {
    await Promise.all([...this.cameras.keys()].map((cameraId) => this.removeCamera(cameraId)));
  }
}
