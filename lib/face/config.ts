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

/** The default embedder's threshold. */
export const DEFAULT_EMBEDDING_THRESHOLD = EMBEDDING_THRESHOLDS.arcface;

/** Keypoints baseline: the original design's MIN_MATCH_COUNT (RANSAC inliers needed for a match). */
export const DEFAULT_MIN_MATCH_COUNT = 10;

/**
 * Liveness (lib/face/liveness.ts): a face or track is live when its score is at least this. It is the
 * model's own decision boundary (live more likely than not), not a value tuned on our data.
 */
export const LIVENESS_THRESHOLD = 0.5;
