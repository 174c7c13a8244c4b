/**
 * Operating points of the matchers.
 *
 * Embedding threshold rule: the fused cosine similarity above which at most 0.1 % of strangers are
 * accepted as somebody on the shared LFW development set (298 enrolled identities × 3 photos, 600
 * strangers), rounded to two decimals — with one photo left out of the strangers: LFW's
 * Carlos_Ruckauf_0001.jpg shows Eduardo Duhalde, who is enrolled, so it is a genuine match, not a
 * stranger. `npm run eval -- --dataset ../shared/faces/lfw-dev --details F` gave 0.6198 (next
 * strangers 0.606, 0.599). A class gallery is smaller than 298 people, so a stranger has fewer
 * people to resemble and the same threshold is stricter there, not looser. A university can measure
 * its own photos with `npm run eval` and override the value with MATCH_THRESHOLD.
 */
export const DEFAULT_EMBEDDING_THRESHOLD = 0.62;

/** Keypoints baseline: the original design's MIN_MATCH_COUNT (RANSAC inliers needed for a match). */
export const DEFAULT_MIN_MATCH_COUNT = 10;
