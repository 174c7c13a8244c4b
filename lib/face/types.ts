/** Shared types of the recognition engine: detectors, embedders and matchers sit behind these. */

/** Decoded image: 8-bit RGB, interleaved, row-major. */
export type RgbImage = { data: Uint8Array; width: number; height: number };

export type Point = [x: number, y: number];

export type FaceBox = { x: number; y: number; width: number; height: number };

/**
 * A face found in a frame. `landmarks` holds 5 points in image pixels, in this order:
 * eye on the image's left, eye on the image's right, nose tip, mouth corner on the left, mouth corner on the right.
 */
export type DetectedFace = {
  box: FaceBox;
  score: number;
  landmarks: [Point, Point, Point, Point, Point];
  /** Roll / yaw estimates in degrees from the landmarks (used by the quality gate). */
  pose: { roll: number; yaw: number };
  /** The detector's 68 points (iBUG layout) when it has them: the eye-state model crops the eyes with them. */
  landmarks68?: Point[];
};

export type DetectOptions = {
  /** Smallest face width (pixels) to look for: smaller values scan the frame in tiles (slower). 0 = whole frame only. */
  minFaceSize?: number;
  /** Camera frames between full scans: look for faces only around these boxes (lib/face/onnx/scan-plan.ts). */
  focusBoxes?: FaceBox[];
};

/** A face's box before its landmarks are located. */
export type FaceCandidate = { box: FaceBox; score: number };

export interface FaceDetector {
  readonly name: string;
  /** Every face in the image, largest first. */
  detect(image: RgbImage, opts?: DetectOptions): Promise<DetectedFace[]>;
  /**
   * Optional two-step form for camera frames, where most faces belong to tracks that need no
   * embedding in this frame: boxes first (largest first), landmarks only for the faces that need them.
   */
  findFaces?(image: RgbImage, opts?: DetectOptions): Promise<FaceCandidate[]>;
  locate?(image: RgbImage, face: FaceCandidate): Promise<DetectedFace | null>;
}

/**
 * A face template: the bytes we store in `face_templates.embedding` plus the model that made them. A
 * probe also says how wide (px) the face it came from was: small faces are matched differently
 * (embedding-matcher.ts, dual templates). For a track's fused template, the sightings' weighted mean.
 */
export type FaceTemplate = { model: string; version: string; data: Uint8Array; faceWidth?: number };

/** Turns one detected face into a template (aligns it first). */
export interface FaceEmbedder {
  readonly model: string;
  readonly version: string;
  extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate>;
  /** Template for an enrollment photo, where extra work is affordable (defaults to `extract`). */
  extractForEnrollment?(image: RgbImage, face: DetectedFace): Promise<FaceTemplate>;
}

export type Identification =
  | { status: 'match'; identity: string; score: number; runnerUp: number | null }
  | {
      status: 'unknown';
      reason: 'below-threshold' | 'empty-gallery' | 'ambiguous';
      bestIdentity: string | null;
      score: number | null;
      runnerUp: number | null;
    };

/**
 * Open-set identification over enrolled templates. Scores are "higher is more alike";
 * what a score means depends on the matcher (cosine similarity, RANSAC inliers…).
 */
export interface FaceMatcher {
  readonly kind: 'embedding' | 'keypoints';
  readonly model: string;
  readonly version: string;
  /** Accept a best match only when its score is strictly above this. */
  readonly threshold: number;
  add(identity: string, template: FaceTemplate): void;
  removeIdentity(identity: string): void;
  readonly size: { identities: number; templates: number };
  /** Best identity for a probe and the score for every decision the caller needs to log. */
  identify(probe: FaceTemplate): Promise<Identification>;
  /** Best score against each identity (for ranking / evaluation), highest first. */
  rank(probe: FaceTemplate, limit: number): Promise<Array<{ identity: string; score: number }>>;
}
