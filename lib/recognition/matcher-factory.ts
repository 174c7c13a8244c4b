/**
 * The one place matchers are made (the camera pipeline's galleries, `npm run eval`, the engine tests),
 * and the track decision rules that go with them: a track is compared against the matcher's own
 * threshold and margin, in the matcher's units.
 */
import { DEFAULT_EVIDENCE_OPTIONS, type EvidenceOptions } from '@/lib/attendance/track-evidence';
import { FUSED_THRESHOLDS } from '@/lib/face/config';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import { engineOptionsFromEnv, operatingThreshold, voteMargin, type EngineSettings } from '@/lib/face/engine-config';
import { ARCFACE_DIMS, ARCFACE_IDENTITY, embedderNamed, sameEngine } from '@/lib/face/engine-identity';
import { KeypointMatcher } from '@/lib/face/keypoints/keypoint-matcher';
import type { FaceMatcher } from '@/lib/face/types';

export interface MatcherFactory {
  /** A gallery's matcher for templates of `model`@`version`. */
  createMatcher(model: string, version: string): Promise<FaceMatcher>;
  /** The per-track decision rules at the running engine's threshold; `overrides` are for benchmarks and tests. */
  evidenceOptions(overrides?: Partial<Omit<EvidenceOptions, 'threshold'>>): EvidenceOptions;
}

export function matcherFactory(settings: EngineSettings): MatcherFactory {
  const engineOpts = engineOptionsFromEnv(settings);
  const threshold = operatingThreshold(engineOpts);
  // A legacy model's gallery uses that model's own shipped threshold.
  const thresholdOf = (model: string, version: string) => {
    const name = embedderNamed({ model, version });
    return name && name !== engineOpts.embedder
      ? operatingThreshold({ matcher: 'embedding', embedder: name })
      : threshold;
  };
  return {
    createMatcher: async (model, version) =>
      settings.MATCHER === 'embedding'
        ? new EmbeddingMatcher({
            model,
            version,
            threshold: thresholdOf(model, version),
            // The current ArcFace enrolment templates are [sharp | classroom] pairs.
            dual: sameEngine(ARCFACE_IDENTITY, { model, version }) ? { dims: ARCFACE_DIMS } : undefined,
          })
        : KeypointMatcher.create({ minMatchCount: settings.MIN_MATCH_COUNT }),
    evidenceOptions: (overrides) => ({
      ...DEFAULT_EVIDENCE_OPTIONS,
      ...(settings.MATCHER === 'embedding' ? { fusedThresholds: FUSED_THRESHOLDS[engineOpts.embedder] } : {}),
      minMargin: voteMargin(engineOpts),
      ...overrides,
      threshold,
    }),
  };
}
