/**
 * The messages between FaceEnginePool (engine-pool.ts) and its threads (engine-thread.ts), and what
 * each request answers. FaceEngine (engine.ts) does the work; the thread only passes these along.
 */
import type { ImageErrorCode } from './image';
import type { MoodSample } from './mood';
import type { QualityVerdict } from './quality';
import type { FaceBox, FaceCandidate, FaceTemplate } from './types';

/** How to analyse a camera frame (FaceEngine.analyzeFrame). */
export type FrameRequest = {
  minFaceSize?: number;
  /** Look for faces only around these boxes (a camera's known faces, between its full scans). */
  focusBoxes?: FaceBox[];
  /** Faces overlapping one of these (IoU ≥ `skipIoU`, default 0.3) are detected only, not embedded. */
  skipBoxes?: FaceBox[];
  skipIoU?: number;
  /** Also embed with the engine's legacy embedders (a course still has students without templates of the current model). */
  legacy?: boolean;
  /** Also score each embedded face's liveness. */
  liveness?: boolean;
  /** Read every face's mood, embedded or not. */
  mood?: boolean;
};

/**
 * A camera frame: every face, with a template unless it overlapped one of the `skipBoxes`, and with
 * the legacy embedders' templates too when they were asked for (`legacy`), and the liveness score
 * (lib/face/liveness.ts) of each embedded face when that was asked for (`liveness`), else null;
 * with `mood` (a class-mood frame), every face's mood reading (lib/face/mood.ts), null when it has none.
 */
export type CameraFrameAnalysis = {
  width: number;
  height: number;
  faces: Array<{
    face: FaceCandidate;
    template: FaceTemplate | null;
    legacy: FaceTemplate[];
    liveness: number | null;
    mood?: MoodSample | null;
    /** Mean luma (0–255) inside the box of an embedded face (lib/face/sighting-quality.ts). */
    brightness?: number;
  }>;
};

export type EnrollmentAnalysis = {
  verdict: QualityVerdict;
  template: FaceTemplate | null;
  width: number;
  height: number;
};

/** Each op: what it is sent besides the image bytes, and what it answers. */
export type EngineCalls = {
  frame: { args: FrameRequest; answer: CameraFrameAnalysis };
  enroll: { args: undefined; answer: EnrollmentAnalysis };
  rebuild: { args: undefined; answer: FaceTemplate | null };
  /** Only for tests (NODE_ENV=test): the thread dies as a bug would. */
  crash: { args: { how: 'throw' | 'exit' }; answer: never };
};
export type EngineOp = keyof EngineCalls;

export type EngineRequest = {
  [Op in EngineOp]: { id: number; op: Op; bytes: Uint8Array; args: EngineCalls[Op]['args'] };
}[EngineOp];

/** `code`: the error was an ImageDecodeError, and the pool rebuilds it as one. */
export type EngineReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: ImageErrorCode } };

/** Sent once by each thread, when its engine has loaded or failed to. */
export type EngineReady = { ready: true } | { ready: false; error: string };
