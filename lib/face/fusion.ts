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
 * How much one sighting counts in its track's template: roughly how much of the person it carries.
 * Measured on lfw-dev: a sighting's cosine with its person's template grows with face width (mean 0.47
 * at 22 px, 0.61 at 30, 0.65 at 40, 0.67 at ~54), so small faces count less. The size factor (22 px ≈ 0.28
 * of a 48 px face) was checked on tracks mixing 22 px and ~54 px sightings: weighting the larger ones 2–3.6×
 * beat the plain mean by 1.5–4 points of genuine accept at 0.60 against sharp-photo templates; against
 * resolution-matched ones (template version 2) it is as good as the plain mean and keeps impostor tracks a
 * little lower, while dropping the small sightings loses 8 points.
 * The detector's confidence separates a frontal, sharp face from a turned, blurred or half-lit one, but
 * its scores crowd just below 1 (0.99 vs 0.9999: mean cosine 0.34 vs 0.44), so it counts in log-odds:
 * 0.9 → 0.25, 0.99 → 0.5, 0.999 → 0.75, 0.9999 and over → 1. Brightness, when measured, lowers faces in the
 * dark (luma under 80; at ×0.35 / ×0.2 of its light a 32 px face lost 0.26 / 0.36 of its cosine); within the
 * 55–90 % dimming of `eval --fuse` it moves nothing (< 0.5 point). Sharpness was tried and left out: +1 point
 * at 22 px, within noise. Never 0: every sighting adds something, and a track made only of small faces still
 * gets a template.
 */
export function sightingWeight(q: SightingQuality): number {
  const size = Math.min(1, Math.max(0.15, (q.faceWidth - 12) / 36));
  const logOdds = Math.log10(1 / Math.max(1e-4, 1 - q.detectorScore));
  const confidence = Math.min(1, Math.max(0.25, logOdds / 4));
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
