/**
 * Operating points of the matchers.
 *
 * Embedding threshold rule (the same for every embedder): on the shared LFW development set
 * (298 enrolled identities × 3 photos, 600 strangers) take the highest cosine any stranger reaches
 * against the gallery, and round it UP to the next 0.05 — so that no dev-set stranger is accepted
 * and there is a margin for sets we have not seen. One photo is left out of the strangers: LFW's
 * Carlos_Ruckauf_0001.jpg shows Eduardo Duhalde, who is enrolled, so it is a genuine match.
 *
 * - arcface (fr_feature): highest stranger 0.482 (next 0.477, 0.468) → 0.50
 *   (`npm run eval -- --dataset ../shared/faces/lfw-dev --details F`, README "Recognition accuracy").
 * - fused tfjs nets (kept for comparison): 0.606 → the older 0.62 (0.1 % FAR rounded).
 *
 * A class gallery is smaller than 298 people, so a stranger has fewer people to resemble and the same
 * threshold is stricter there, not looser. A university can measure its own photos with
 * `npm run eval` and override the value with MATCH_THRESHOLD.
 */
import type { EmbedderName } from './engine-identity';

export const EMBEDDING_THRESHOLDS: Record<EmbedderName, number> = { arcface: 0.5, fused: 0.62, mobileface: 0.62, faceres: 0.62 };

/** The default embedder's threshold. */
export const DEFAULT_EMBEDDING_THRESHOLD = EMBEDDING_THRESHOLDS.arcface;

/** Keypoints baseline: the original design's MIN_MATCH_COUNT (RANSAC inliers needed for a match). */
export const DEFAULT_MIN_MATCH_COUNT = 10;

/**
 * Liveness (lib/face/liveness.ts): a face or track is live when its score is at least this. It is the
 * model's own decision boundary (live more likely than not), not a value tuned on our data.
 */
export const LIVENESS_THRESHOLD = 0.5;
