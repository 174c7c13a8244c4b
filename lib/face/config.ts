/**
 * Operating points of the matchers. How the embedding thresholds were chosen (the same rule for every
 * embedder) and the figures behind them: README, "Threshold rule".
 */
import type { EmbedderName } from './engine-identity';

export const EMBEDDING_THRESHOLDS: Record<EmbedderName, number> = {
  arcface: 0.5,
  fused: 0.62,
  mobileface: 0.62,
  faceres: 0.62,
};

/**
 * The bar a track's fused template must clear, by the width of the faces it was made from
 * (lib/attendance/track-evidence.ts: the bar of the largest width listed at or below it, never under the
 * threshold; a step, because only the listed widths were measured).
 * The same rule as the single-frame threshold, applied to fused templates: on lfw-dev, every stranger
 * fused over 1–8 simulated camera sightings at that width (`npm run eval -- --fuse N
 * --probe-face-width W`), highest score + 0.01, rounded up to the next 0.05. Highest fused stranger:
 * 0.553 at 22 px → 0.60; 0.490 at 30 px → 0.50; 0.487 at 40 px and 0.489 at full size → 0.50.
 * Fusing takes the noise out of small faces for strangers too, and small faces look more alike.
 */
export const FUSED_THRESHOLDS: Partial<Record<EmbedderName, ReadonlyArray<readonly [number, number]>>> = {
  arcface: [
    [22, 0.6],
    [30, 0.5],
  ],
};

/** The default embedder's threshold. */
export const DEFAULT_EMBEDDING_THRESHOLD = EMBEDDING_THRESHOLDS.arcface;

/** Keypoints baseline: the original design's MIN_MATCH_COUNT (RANSAC inliers needed for a match). */
export const DEFAULT_MIN_MATCH_COUNT = 10;

/**
 * Liveness (lib/face/liveness.ts): a face or track is live when its score is at least this. It is the
 * model's own decision boundary (live more likely than not), not a value tuned on our data.
 */
export const LIVENESS_THRESHOLD = 0.5;
