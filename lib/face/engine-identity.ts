/**
 * Which engine made an embedding, known without loading any weights (the names themselves are in
 * lib/engine-names.ts, a leaf that lib/env.ts reads too). The web app decides here whether a stored unknown-face embedding can become a template the
 * running worker can compare with. DeepEmbedder and KeypointEmbedder take their model/version from
 * here, so the two cannot drift.
 */
export {
  DEFAULT_DETECTOR,
  DEFAULT_EMBEDDER,
  DEFAULT_MATCHER,
  DETECTOR_NAMES,
  EMBEDDER_NAMES,
  MATCHER_KINDS,
  type DeepNetName,
  type DetectorName,
  type EmbedderName,
  type MatcherKind,
} from '../engine-names';
import {
  DEFAULT_EMBEDDER,
  EMBEDDER_NAMES,
  type DeepNetName,
  type EmbedderName,
  type MatcherKind,
} from '../engine-names';

export interface EngineIdentity {
  model: string;
  version: string;
}

const NETS: Record<DeepNetName, string[]> = {
  fused: ['mobileface', 'faceres'],
  mobileface: ['mobileface'],
  faceres: ['faceres'],
};

/** Kept in step with the keypoint embedder (which re-exports it). */
export const KEYPOINT_MODEL_VERSION = 'opencv-4.5.2-1';

/** Model name and version of `DeepEmbedder.load(name)`; each net gets weight 1/n. */
export function deepEmbedderIdentity(
  name: DeepNetName = 'fused',
): EngineIdentity & { weights: Record<string, number> } {
  const nets = NETS[name];
  const weights = Object.fromEntries(nets.map((n) => [n, 1 / nets.length]));
  return {
    model: name === 'fused' ? 'fused-mobileface-faceres' : name,
    // Bump when alignment, pre-processing or weights change: templates of another version are re-made.
    // 2: enrollment templates average the face and its mirror image.
    version: `2-${nets.map((n) => `${n}@${weights[n]}`).join('+')}`,
    weights,
  };
}

/**
 * faceplugin@1.0.3 fr_feature.onnx. Bump the leading number when alignment, pre-processing or
 * mirroring change: templates of another version are re-made from the stored photos.
 * 2: enrolment templates also hold the face as a classroom camera sees it (classroom-renditions.ts).
 * 3: under-exposed faces are contrast-stretched before embedding (illumination.ts), the retry for
 * tight crops finds faces on more enrolment photos, and an enrolment template is a [sharp | classroom]
 * pair of embeddings (embedding-matcher.ts, dual templates) instead of version 2's single mean.
 */
export const ARCFACE_IDENTITY: EngineIdentity = { model: 'arcface-fr_feature', version: '3-faceplugin@1.0.3' };
/** Floats in one fr_feature embedding; its enrolment templates are [sharp | classroom] pairs of 2 × this. */
export const ARCFACE_DIMS = 512;

export function embedderIdentity(name: EmbedderName): EngineIdentity {
  if (name === 'arcface') return ARCFACE_IDENTITY;
  const { model, version } = deepEmbedderIdentity(name);
  return { model, version };
}

/** The registered embedder that makes templates of `id`, or null (a retired or unknown model). */
export function embedderNamed(id: EngineIdentity): EmbedderName | null {
  return EMBEDDER_NAMES.find((n) => sameEngine(embedderIdentity(n), id)) ?? null;
}

/** The engine the worker and the web app run for MATCHER (both load the default embedder / AKAZE). */
export function currentEngineIdentity(matcher: MatcherKind, embedder: EmbedderName = DEFAULT_EMBEDDER): EngineIdentity {
  if (matcher === 'keypoints') return { model: 'keypoints-akaze', version: KEYPOINT_MODEL_VERSION };
  return embedderIdentity(embedder);
}

/*
 * unknown_faces has a `model` column but no version column; rather than a migration, the worker
 * stores `<model>|<version>` there. Rows written before that hold the bare model (version unknown).
 */
const SEP = '|';

export function engineKey(id: EngineIdentity): string {
  return `${id.model}${SEP}${id.version}`;
}

export function parseEngineKey(key: string | null): EngineIdentity | null {
  if (!key) return null;
  const at = key.indexOf(SEP);
  if (at <= 0) return null;
  return { model: key.slice(0, at), version: key.slice(at + 1) };
}

export function sameEngine(a: EngineIdentity | null, b: EngineIdentity): boolean {
  return a !== null && a.model === b.model && a.version === b.version;
}
