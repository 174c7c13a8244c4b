/**
 * Operating points of the matchers.
 *
 * Embedding threshold rule: the cosine similarity at which strangers are falsely accepted at most
 * 0.1 % of the time on the shared LFW development set (298 enrolled identities, 600 strangers; see
 * README "Recognition accuracy" for the run that produced it). A smaller class gallery has fewer
 * chances for a stranger to resemble someone, so the same threshold is stricter there, not looser.
 * Deployments can measure their own photos with `npm run eval` and override it with MATCH_THRESHOLD.
 */
export const DEFAULT_EMBEDDING_THRESHOLD = 0.5;

/** Keypoints baseline: the original design's MIN_MATCH_COUNT (RANSAC inliers needed for a match). */
export const DEFAULT_MIN_MATCH_COUNT = 10;
