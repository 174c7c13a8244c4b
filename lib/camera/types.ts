/** One JPEG from one camera. The transport layer never decodes it. */
export interface Frame {
  cameraId: string;
  jpeg: Buffer;
  /** Wall-clock time (ms since epoch) at which the last byte of the frame arrived. */
  receivedAt: number;
  /** Camera clock from the part's X-Timestamp header, converted to ms, when the camera sends one. */
  timestamp?: number;
}

type LogFn = (objOrMsg: unknown, msg?: string) => void;

/** The subset of pino's logger we use; pass a pino child logger or nothing. */
export interface CameraLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

const noop: LogFn = () => {};
export const silentLogger: CameraLogger = { info: noop, warn: noop, error: noop, debug: noop };

/** Why a connection attempt or a running source failed. Expected faults, not bugs. */
export type CameraFailureCode =
  'invalid-url' | 'connection-refused' | 'timeout' | 'http-status' | 'not-multipart' | 'not-image' | 'network';

export interface CameraFailure {
  code: CameraFailureCode;
  message: string;
  httpStatus?: number;
}

/** How one run of a frame source ended. Every value except 'aborted' means "reconnect later". */
export type SourceOutcome =
  | { status: 'aborted'; frames: number }
  | { status: 'ended'; frames: number }
  | { status: 'stalled'; frames: number; stallTimeoutMs: number }
  | { status: 'failed'; frames: number; failure: CameraFailure };

export interface SourceRunContext {
  signal: AbortSignal;
  onFrame: (frame: Frame) => void;
}

/**
 * One connection's worth of frames: runs until the source ends, stalls, fails or the signal aborts.
 * Resolves with a typed outcome; it rejects only on a bug.
 */
export type FrameSource = (ctx: SourceRunContext) => Promise<SourceOutcome>;
