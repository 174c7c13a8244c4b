/**
 * The engine's names and defaults, in a file that imports nothing: lib/env.ts validates MATCHER,
 * FACE_EMBEDDER and FACE_DETECTOR against these lists, and lib/face/engine-identity.ts re-exports them
 * for the engine (env.ts may not import lib/face, which reads env).
 */
/** Embedders behind MATCHER=embedding: `arcface` (ONNX, the default) and the older tfjs nets. */
export const EMBEDDER_NAMES = ['arcface', 'fused', 'mobileface', 'faceres'] as const;
export type EmbedderName = (typeof EMBEDDER_NAMES)[number];
export type DeepNetName = Exclude<EmbedderName, 'arcface'>;
export const DEFAULT_EMBEDDER: EmbedderName = 'arcface';
/** Face detectors: `ultraface` (ONNX fr_detect + fr_landmark). (tfjs BlazeFace + FaceMesh was retired: it lost on every figure.) */
export const DETECTOR_NAMES = ['ultraface'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];
export const DEFAULT_DETECTOR: DetectorName = 'ultraface';
export const MATCHER_KINDS = ['embedding', 'keypoints'] as const;
export type MatcherKind = (typeof MATCHER_KINDS)[number];
export const DEFAULT_MATCHER: MatcherKind = 'embedding';
