/**
 * Evidence about one face over many sightings (STYLE §16: a class lasts 90 minutes): the
 * quality-weighted, L2-normalised mean of its embeddings. Noise in single sightings of a small, dim
 * or compressed face points in random directions and averages out, while what the sightings share
 * (the person) adds up, so the fused template is closer to the person's enrolled template than most
 * of its sightings are. Used by the camera pipeline per track and by `npm run eval -- --fuse N`.
 */
import { bytesToEmbedding, embeddingToBytes, l2normalize } from './embedding-bytes';
import type { FaceTemplate } from './types';

/** What is known about one sighting's quality when it is embedded. */
export type SightingQuality = {
  /** Detector box width in frame pixels. */
  faceWidth: number;
  /** Detector confidence, 0–1. */
  detectorScore: number;
  /** Mean luma (0–255) of the face (lib/face/sighting-quality.ts), when measured. */
  brightness?: number;
};

/**
 * How much one sighting counts in its track's template. Face width is what we measured to matter
 * most: a 20 px face is upsampled 5× onto the 112 px chip and its embedding is mostly noise, while
 * from ~48 px on the chip holds most of what the embedder uses. The detector's confidence tells a
 * face seen frontally and sharp from a turned, blurred or half-lit one. Never 0: every sighting adds
 * something, and a track made only of small faces still gets a template. Dim faces count less too.
 */
export function sightingWeight(q: SightingQuality): number {
  const size = Math.min(1, Math.max(0.15, (q.faceWidth - 12) / 36));
  const confidence = Math.min(1, Math.max(0.2, q.detectorScore));
  // A face in the dark keeps little of what tells people apart: at ×0.35 / ×0.2 of its light a
  // 32 px LFW face lost 0.26 / 0.36 of its cosine to its own template (luma ~40 / ~25).
  const exposure = q.brightness === undefined ? 1 : Math.min(1, Math.max(0.1, (q.brightness - 10) / 70));
  return size * confidence * exposure;
}

/** A running weighted mean of L2-normalised embeddings. */
export class FusedEmbedding {
  private sum: Float64Array | null = null;
  private n = 0;
  private w = 0;

  /** Sightings added so far. */
  get count(): number {
    return this.n;
  }

  /** Total weight of the sightings added so far. */
  get weight(): number {
    return this.w;
  }

  add(embedding: Float32Array, weight = 1): void {
    if (!(weight > 0)) return;
    if (!this.sum) this.sum = new Float64Array(embedding.length);
    if (embedding.length !== this.sum.length)
      throw new Error(`cannot fuse a ${embedding.length}-d embedding into a ${this.sum.length}-d template`);
    for (let i = 0; i < embedding.length; i++) this.sum[i] += embedding[i] * weight;
    this.n += 1;
    this.w += weight;
  }

  /** Takes over another track's evidence (the same face, seen again after its track broke). */
  merge(other: FusedEmbedding): void {
    if (!other.sum) return;
    if (!this.sum) this.sum = new Float64Array(other.sum.length);
    if (other.sum.length !== this.sum.length) throw new Error('cannot merge templates of different sizes');
    for (let i = 0; i < other.sum.length; i++) this.sum[i] += other.sum[i];
    this.n += other.n;
    this.w += other.w;
  }

  /** The fused, L2-normalised embedding, or null before the first sighting. */
  vector(): Float32Array | null {
    return this.sum ? l2normalize(Float32Array.from(this.sum)) : null;
  }

  /** The fused embedding as a template of `model`/`version` (the model that made the sightings). */
  template(model: string, version: string): FaceTemplate | null {
    const v = this.vector();
    return v ? { model, version, data: embeddingToBytes(v) } : null;
  }
}

/** The quality-weighted L2-normalised mean of the given sightings' templates (all of one model). */
export function fuseTemplates(sightings: ReadonlyArray<{ template: FaceTemplate; weight: number }>): FaceTemplate {
  const first = sightings[0];
  if (!first) throw new Error('fuseTemplates needs at least one sighting');
  const fused = new FusedEmbedding();
  for (const s of sightings) fused.add(bytesToEmbedding(s.template.data), s.weight);
  return fused.template(first.template.model, first.template.version) as FaceTemplate;
}

/** Cosine of two L2-normalised embeddings. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
