import { backoffDelay, type BackoffOptions } from '@/lib/backoff';
import { abortableSleep } from './abortable-sleep';
import {
  silentLogger,
  type CameraFailureCode,
  type CameraLogger,
  type Frame,
  type FrameSource,
  type SourceOutcome,
} from './types';

/** A camera that dropped retries after 0.25–0.5 s, then ever longer, at most every 15–30 s. */
const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 30_000 };

export type CameraState = 'connecting' | 'streaming' | 'backoff' | 'stopped';

export interface CameraConnectionStats {
  cameraId: string;
  state: CameraState;
  framesIn: number;
  /** Connection attempts after the first one. */
  reconnects: number;
  lastError: string | null;
  lastErrorCode: CameraFailureCode | 'stalled' | 'ended' | null;
  lastErrorAt: number | null;
  lastFrameAt: number | null;
}

export interface CameraConnectionOptions {
  cameraId: string;
  source: FrameSource;
  /** Every frame, as it arrives (CameraHub fans it out to its subscribers' bounded queues). */
  onFrame?: (frame: Frame) => void;
  backoff?: Partial<BackoffOptions>;
  onStateChange?: (state: CameraState) => void;
  logger?: CameraLogger;
}

/**
 * The watchdog around one frame source: runs it, and whenever it ends, stalls or fails, waits a
 * capped, jittered exponential backoff and runs it again, until stopped. The backoff restarts from
 * the base once a connection has delivered frames.
 */
export class CameraConnection {
  readonly cameraId: string;
  private readonly source: FrameSource;
  private readonly onFrameCallback: ((frame: Frame) => void) | undefined;
  private readonly backoff: BackoffOptions;
  private readonly onStateChange: ((state: CameraState) => void) | undefined;
  private readonly logger: CameraLogger;
  private controller: AbortController | null = null;
  private loop: Promise<void> = Promise.resolve();
  private current: CameraConnectionStats;

  constructor(options: CameraConnectionOptions) {
    this.cameraId = options.cameraId;
    this.source = options.source;
    this.onFrameCallback = options.onFrame;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.onStateChange = options.onStateChange;
    this.logger = options.logger ?? silentLogger;
    this.current = {
      cameraId: options.cameraId,
      state: 'stopped',
      framesIn: 0,
      reconnects: 0,
      lastError: null,
      lastErrorCode: null,
      lastErrorAt: null,
      lastFrameAt: null,
    };
  }

  get state(): CameraState {
    return this.current.state;
  }

  get isRunning(): boolean {
    return this.controller !== null;
  }

  stats(): CameraConnectionStats {
    return { ...this.current };
  }

  /** Starts the connect/reconnect loop; a no-op when already running. */
  start(): void {
    if (this.controller !== null) return;
    const controller = new AbortController();
    this.controller = controller;
    // Chained so a restart right after stop never overlaps the old loop (one stream client per camera).
    this.loop = this.loop
      .then(() => this.run(controller.signal))
      .catch((error: unknown) => {
        // Only a throwing onStateChange callback can get here; the camera must not take the process down.
        this.logger.error({ err: error, cameraId: this.cameraId }, 'camera connection loop crashed');
        this.current.state = 'stopped';
        this.controller = null;
      });
  }

  /** Aborts the current connection or backoff and resolves once the source has let go. */
  async stop(): Promise<void> {
    this.controller?.abort();
    this.controller = null;
    await this.loop;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let first = true;
    while (!signal.aborted) {
      if (!first) this.current.reconnects += 1;
      first = false;
      this.setState('connecting');
      let outcome: SourceOutcome;
      try {
        outcome = await this.source({ signal, onFrame: (frame) => this.acceptFrame(frame) });
      } catch (error) {
        // A source rejects only on a bug; keep the camera alive but make it loud.
        this.logger.error({ err: error, cameraId: this.cameraId }, 'frame source threw');
        outcome = {
          status: 'failed',
          frames: 0,
          failure: { code: 'network', message: `source threw: ${String(error)}` },
        };
      }
      if (outcome.status === 'aborted' || signal.aborted) break;
      if (outcome.frames > 0) attempt = 0;
      this.recordProblem(outcome);
      const delayMs = backoffDelay(attempt, this.backoff);
      attempt += 1;
      this.logger.warn(
        { cameraId: this.cameraId, outcome: outcome.status, error: this.current.lastError, retryInMs: delayMs },
        'camera connection lost',
      );
      this.setState('backoff');
      if (await abortableSleep(delayMs, signal)) break;
    }
    this.setState('stopped');
  }

  private acceptFrame(frame: Frame): void {
    this.current.framesIn += 1;
    this.current.lastFrameAt = frame.receivedAt;
    if (this.current.state !== 'streaming') {
      this.setState('streaming');
      this.logger.info({ cameraId: this.cameraId }, 'camera streaming');
    }
    this.onFrameCallback?.(frame);
  }

  private recordProblem(outcome: Exclude<SourceOutcome, { status: 'aborted' }>): void {
    this.current.lastErrorAt = Date.now();
    if (outcome.status === 'failed') {
      this.current.lastError = outcome.failure.message;
      this.current.lastErrorCode = outcome.failure.code;
    } else if (outcome.status === 'stalled') {
      this.current.lastError = `no frame for ${outcome.stallTimeoutMs} ms`;
      this.current.lastErrorCode = 'stalled';
    } else {
      this.current.lastError = 'stream ended';
      this.current.lastErrorCode = 'ended';
    }
  }

  private setState(state: CameraState): void {
    if (this.current.state === state) return;
    this.current.state = state;
    this.onStateChange?.(state);
  }
}
