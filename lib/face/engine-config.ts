/**
 * The one mapping from settings (env) to face-engine options, used by the worker, the web app and
 * the admin CLI, plus the threshold and vote margin a camera applies with those options.
 */
import { DEFAULT_MIN_MATCH_COUNT, EMBEDDING_THRESHOLDS } from './config';
import {
  DEFAULT_DETECTOR,
  DEFAULT_EMBEDDER,
  currentEngineIdentity,
  type DetectorName,
  type EmbedderName,
  type EngineIdentity,
  type MatcherKind,
} from './engine-identity';

export type EngineSettings = {
  MATCHER: MatcherKind;
  FACE_EMBEDDER?: EmbedderName;
  FACE_DETECTOR?: DetectorName;
  MATCH_THRESHOLD?: number;
  MIN_MATCH_COUNT?: number;
};

export type EngineOptions = {
  matcher?: MatcherKind;
  embedder?: EmbedderName;
  detector?: DetectorName;
  /** Embedding matcher: cosine threshold (default: the embedder's, lib/face/config.ts). Ignored by keypoints. */
  threshold?: number;
  /** Keypoints matcher: RANSAC inliers needed for a match. */
  minMatchCount?: number;
  /**
   * Previous embedders whose templates some students still depend on during a model change (the
   * worker finds them in the database at start): camera faces are also embedded with these, so those
   * students keep being recognised until their templates are rebuilt with the current model.
   */
  legacyEmbedders?: EmbedderName[];
  /**
   * Face widths (px) at which enrollment photos are also rendered and embedded (resolution-matched
   * enrollment, lib/face/classroom-renditions.ts); [] turns it off (for measuring what it buys).
   */
  classroomRenditions?: readonly number[];
};

export function engineOptionsFromEnv(
  settings: EngineSettings,
): Required<Pick<EngineOptions, 'matcher' | 'embedder' | 'detector'>> & EngineOptions {
  return {
    matcher: settings.MATCHER,
    embedder: settings.FACE_EMBEDDER ?? DEFAULT_EMBEDDER,
    detector: settings.FACE_DETECTOR ?? DEFAULT_DETECTOR,
    threshold: settings.MATCH_THRESHOLD,
    minMatchCount: settings.MIN_MATCH_COUNT,
  };
}

/**
 * The matcher's own decision threshold (a match needs a score strictly above it): the cosine
 * threshold, or MIN_MATCH_COUNT − 1 inliers (a keypoint match needs at least MIN_MATCH_COUNT).
 */
export function operatingThreshold(opts: EngineOptions): number {
  if ((opts.matcher ?? 'embedding') === 'keypoints') return (opts.minMatchCount ?? DEFAULT_MIN_MATCH_COUNT) - 1;
  return opts.threshold ?? EMBEDDING_THRESHOLDS[opts.embedder ?? DEFAULT_EMBEDDER];
}

/** How far a vote's best score must clear the runner-up, in the matcher's units (cosine, or inliers). */
export function voteMargin(opts: EngineOptions): number {
  return (opts.matcher ?? 'embedding') === 'keypoints' ? 2 : 0.05;
}

/** Model + version of the templates this configuration makes. */
export function engineIdentity(opts: EngineOptions): EngineIdentity {
  return currentEngineIdentity(opts.matcher ?? 'embedding', opts.embedder ?? DEFAULT_EMBEDDER);
}
