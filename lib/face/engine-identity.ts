/**
 * Which engine made an embedding, known without loading any weights: the web app needs it to decide
 * whether a stored unknown-face embedding can become a template the running worker can compare with.
 * DeepEmbedder and KeypointEmbedder take their model/version from here, so the two cannot drift.
 */
export type EmbedderName = 'fused' | 'mobileface' | 'faceres';
export type MatcherKind = 'embedding' | 'keypoints';

export interface EngineIdentity {
  model: string;
  version: string;
}

const NETS: Record<EmbedderName, string[]> = { fused: ['mobileface', 'faceres'], mobileface: ['mobileface'], faceres: ['faceres'] };

/** Kept in step with the keypoint embedder (which re-exports it). */
export const KEYPOINT_MODEL_VERSION = 'opencv-4.5.2-1';

/** Model name and version of `DeepEmbedder.load(name)`; each net gets weight 1/n. */
export function deepEmbedderIdentity(name: EmbedderName = 'fused'): EngineIdentity & { weights: Record<string, number> } {
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

/** The engine the worker and the web app run for MATCHER (both load the default embedder / AKAZE). */
export function currentEngineIdentity(matcher: MatcherKind): EngineIdentity {
  if (matcher === 'keypoints') return { model: 'keypoints-akaze', version: KEYPOINT_MODEL_VERSION };
  const { model, version } = deepEmbedderIdentity('fused');
  return { model, version };
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
