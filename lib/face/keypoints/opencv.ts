/**
 * Lazy, memoized loader for OpenCV.js (`@techstark/opencv-js`, OpenCV 4.5 compiled to WASM).
 *
 * The package is an old-style Emscripten MODULARIZE build: `require()` returns the Module object,
 * which carries a `then` method that is NOT a real promise — awaiting it directly recurses forever
 * (its "resolved value" is itself thenable). So we wait for the runtime with `then`/`onRuntimeInitialized`,
 * then delete `then` before handing the module out. Newer builds export a real Promise; both work.
 *
 * The typings of the package (mirada) lack several classes we use (AKAZE, CLAHE…), so this file
 * declares the small structural subset of the API the keypoint baseline needs.
 */

/** Anything allocated on the WASM heap: it must be freed with `delete()`. */
export interface CvDeletable {
  delete(): void;
}

export interface CvMat extends CvDeletable {
  readonly rows: number;
  readonly cols: number;
  readonly data: Uint8Array;
  readonly data32F: Float32Array;
  readonly data64F: Float64Array;
  type(): number;
  empty(): boolean;
}

export interface CvKeyPoint {
  pt: { x: number; y: number };
  size: number;
  angle: number;
  response: number;
  octave: number;
  class_id: number;
}

export interface CvKeyPointVector extends CvDeletable {
  size(): number;
  get(i: number): CvKeyPoint;
  push_back(kp: CvKeyPoint): void;
}

export interface CvDMatch {
  queryIdx: number;
  trainIdx: number;
  imgIdx: number;
  distance: number;
}

export interface CvDMatchVector extends CvDeletable {
  size(): number;
  get(i: number): CvDMatch;
}

export interface CvDMatchVectorVector extends CvDeletable {
  size(): number;
  get(i: number): CvDMatchVector;
}

export interface CvFeature2D extends CvDeletable {
  detect(image: CvMat, keypoints: CvKeyPointVector, mask?: CvMat): void;
  compute(image: CvMat, keypoints: CvKeyPointVector, descriptors: CvMat): void;
  detectAndCompute(
    image: CvMat,
    mask: CvMat,
    keypoints: CvKeyPointVector,
    descriptors: CvMat,
    useProvidedKeypoints?: boolean,
  ): void;
}

export interface CvAKAZE extends CvFeature2D {
  setThreshold(t: number): void;
  getThreshold(): number;
  setNOctaves(n: number): void;
  setNOctaveLayers(n: number): void;
  getDescriptorSize(): number;
}

export interface CvBFMatcher extends CvDeletable {
  knnMatch(query: CvMat, train: CvMat, matches: CvDMatchVectorVector, k: number): void;
}

export interface CvCLAHE extends CvDeletable {
  apply(src: CvMat, dst: CvMat): void;
}

export interface OpenCv {
  Mat: { new (): CvMat; new (rows: number, cols: number, type: number): CvMat };
  KeyPointVector: new () => CvKeyPointVector;
  DMatchVectorVector: new () => CvDMatchVectorVector;
  AKAZE: new () => CvAKAZE;
  BFMatcher: new (normType: number, crossCheck: boolean) => CvBFMatcher;
  CLAHE: new (clipLimit: number, tileGridSize: { width: number; height: number }) => CvCLAHE;
  Size: new (width: number, height: number) => { width: number; height: number };
  matFromArray(rows: number, cols: number, type: number, array: ArrayLike<number>): CvMat;
  findHomography(
    src: CvMat,
    dst: CvMat,
    method: number,
    ransacReprojThreshold: number,
    mask: CvMat,
    maxIters?: number,
    confidence?: number,
  ): CvMat;
  CV_8UC1: number;
  CV_32FC2: number;
  NORM_HAMMING: number;
  RANSAC: number;
  /** The WASM heap (grows, never shrinks): used by tests to check that nothing leaks. */
  HEAP8: Int8Array;
}

import { createRequire } from 'node:module';

type EmscriptenModule = { then?: (cb: (m: unknown) => void) => unknown; calledRun?: boolean; Mat?: unknown };

let loading: Promise<OpenCv> | null = null;

/**
 * The Emscripten runtime registers process-wide `uncaughtException` (rethrows, printing a whole
 * line of the 8 MB bundle) and `unhandledRejection` (aborts the WASM runtime) handlers when it
 * loads in Node. Those are not ours to install in a worker or a test runner: remove whatever the
 * import added.
 */
const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

async function load(): Promise<OpenCv> {
  type Emitter = {
    listeners(ev: string): Array<(...args: unknown[]) => void>;
    removeListener(ev: string, l: (...args: unknown[]) => void): unknown;
  };
  const proc = (typeof process !== 'undefined' ? process : null) as unknown as Emitter | null;
  const hasProcess = !!proc && typeof proc.listeners === 'function';
  const before = hasProcess ? PROCESS_EVENTS.map((ev) => new Set(proc.listeners(ev))) : [];
  let mod: unknown;
  try {
    // require(), not import(): an ESM namespace of this module may expose its fake `then`, and
    // `await import()` would then never settle (vitest's interop does exactly that).
    mod = createRequire(import.meta.url)('@techstark/opencv-js');
  } finally {
    if (hasProcess) {
      PROCESS_EVENTS.forEach((ev, i) => {
        for (const l of proc.listeners(ev)) if (!before[i].has(l)) proc.removeListener(ev, l);
      });
    }
  }
  if (mod instanceof Promise) return (await mod) as OpenCv;
  const em = mod as EmscriptenModule;
  if (typeof em.then === 'function') {
    const thenFn = em.then;
    await new Promise<void>((resolve) => {
      thenFn.call(em, () => resolve());
    });
    // Make the module a plain object again, so `await` on it (or on a promise of it) terminates.
    delete em.then;
  }
  if (
    typeof (em as Partial<OpenCv>).AKAZE !== 'function' ||
    typeof (em as Partial<OpenCv>).findHomography !== 'function'
  ) {
    throw new Error('OpenCV.js loaded but lacks AKAZE/findHomography: @techstark/opencv-js 4.5.x is required');
  }
  return em as unknown as OpenCv;
}

/** OpenCV.js, loaded once per process (≈ 0.2–0.3 s the first time). */
export function loadOpenCv(): Promise<OpenCv> {
  if (!loading) {
    loading = load().catch((err: unknown) => {
      loading = null; // allow a retry after a failed load
      throw err;
    });
  }
  return loading;
}
