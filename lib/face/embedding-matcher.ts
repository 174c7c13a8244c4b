/**
 * Open-set identification with deep embeddings. Each identity is represented by the normalised mean
 * of its templates (on the dev set the centroid beat max-over-templates on both rank-1 and accept
 * rate: averaging several photos cancels pose and lighting). Scores are cosine similarities.
 *
 * Large galleries are searched in two stages: int8 scores of every identity on ONNX Runtime
 * (onnx/int8-scores.ts, ~3 ms for 100,000), then exact float scores for the best `shortlist`.
 * Quantization moves a cosine by ≤ 0.001, so the exact best and runner-up are in a shortlist of 100
 * unless more than 100 identities sit within ~0.002 of the best — and then the probe is ambiguous anyway.
 *
 * Dual templates (`dual`): an enrolment template can hold two embeddings of the photo, the sharp face
 * and the face as a classroom camera sees it (lib/face/classroom-renditions.ts). Each identity then has
 * a sharp and a classroom centroid, and a probe's score is the blend of its cosines with both, weighted
 * by how small the probe's face was (`classroomWeight`): a close-up is compared with the sharp photos,
 * a 22 px face at the back of the room with what such a face looks like. Plain templates (a crop from
 * an unknown-face review, say) count for both centroids.
 */
import { bytesToEmbedding, l2normalize } from './embedding-bytes';
import { int8Scores, quantizeRows, type Int8Rows } from './onnx/int8-scores';
import type { FaceMatcher, FaceTemplate, Identification } from './types';

export type EmbeddingMatcherOptions = {
  model: string;
  version: string;
  threshold: number;
  /** A best match closer than this to the runner-up identity is reported as ambiguous. */
  minMargin?: number;
  /** Galleries with more identities than this use the two-stage search. */
  exactUpTo?: number;
  /** Identities rescored exactly after the int8 pass. */
  shortlist?: number;
  /** Templates of 2 × `dims` floats are [sharp | classroom] pairs (see above); `dims` is the probe's size. */
  dual?: { dims: number };
};

/** Running sums of an identity's templates: its centroids are the normalised sums. */
type Entry = { sum: Float32Array; classroom: Float32Array | null; count: number };

/**
 * The classroom centroid's weight for a probe whose face is `faceWidth` px wide: 0 from SHARP_ONLY_WIDTH
 * up (and when the width is not known: a photo), rising linearly to MAX_CLASSROOM_WEIGHT at
 * FULL_CLASSROOM_WIDTH and below. Chosen on lfw-dev (README "Small faces"): with the classroom centroid
 * alone, fused strangers at 22 px reached 0.599; blended 3 : 1 they reach 0.553 while genuine tracks keep
 * most of the gain, so the fused-template bar the threshold rule gives is lower (0.60 against 0.65).
 */
export const SHARP_ONLY_WIDTH = 48;
export const FULL_CLASSROOM_WIDTH = 24;
export const MAX_CLASSROOM_WEIGHT = 0.75;

export function classroomWeight(faceWidth: number | undefined): number {
  if (faceWidth === undefined || !Number.isFinite(faceWidth)) return 0;
  const t = (SHARP_ONLY_WIDTH - faceWidth) / (SHARP_ONLY_WIDTH - FULL_CLASSROOM_WIDTH);
  return MAX_CLASSROOM_WEIGHT * Math.min(1, Math.max(0, t));
}

export class EmbeddingMatcher implements FaceMatcher {
  readonly kind = 'embedding' as const;
  readonly model: string;
  readonly version: string;
  readonly threshold: number;
  private readonly minMargin: number;
  private readonly exactUpTo: number;
  private readonly shortlistSize: number;
  private readonly entries = new Map<string, Entry>();
  private dims = 0;
  private readonly dual: { dims: number } | null;
  private hasClassroom = false;
  private templateCount = 0;
  // Flat search indexes (sharp, and classroom for dual galleries), rebuilt lazily after changes.
  private ids: string[] = [];
  private flat = new Float32Array(0);
  private flatClassroom: Float32Array | null = null;
  private quantized: Int8Rows | null = null;
  private dirty = false;

  constructor(opts: EmbeddingMatcherOptions) {
    this.model = opts.model;
    this.version = opts.version;
    this.threshold = opts.threshold;
    this.minMargin = opts.minMargin ?? 0;
    this.exactUpTo = opts.exactUpTo ?? 5000;
    this.shortlistSize = opts.shortlist ?? 100;
    this.dual = opts.dual ?? null;
    if (this.dual) this.dims = this.dual.dims;
  }

  get size() {
    return { identities: this.entries.size, templates: this.templateCount };
  }

  private vector(t: FaceTemplate, role: 'probe' | 'template' = 'probe'): Float32Array {
    if (t.model !== this.model || t.version !== this.version) {
      throw new Error(
        `Template from ${t.model}@${t.version} cannot be matched by ${this.model}@${this.version}; re-enroll with the current model`,
      );
    }
    const v = bytesToEmbedding(t.data);
    if (this.dims === 0) this.dims = v.length;
    const ok = v.length === this.dims || (role === 'template' && this.dual !== null && v.length === 2 * this.dims);
    if (!ok) throw new Error(`Template has ${v.length} dimensions, gallery has ${this.dims}`);
    return v;
  }

  add(identity: string, template: FaceTemplate): void {
    const v = this.vector(template, 'template');
    const d = this.dims;
    // A plain template (no classroom part) stands for both.
    const sharp = v.subarray(0, d),
      classroom = v.length === 2 * d ? v.subarray(d) : sharp;
    if (v.length === 2 * d) this.hasClassroom = true;
    const e = this.entries.get(identity);
    if (e) {
      for (let i = 0; i < d; i++) e.sum[i] += sharp[i];
      if (e.classroom) for (let i = 0; i < d; i++) e.classroom[i] += classroom[i];
      e.count++;
    } else
      this.entries.set(identity, {
        sum: Float32Array.from(sharp),
        classroom: this.dual ? Float32Array.from(classroom) : null,
        count: 1,
      });
    this.templateCount++;
    this.dirty = true;
  }

  removeIdentity(identity: string): void {
    const e = this.entries.get(identity);
    if (!e) return;
    this.templateCount -= e.count;
    this.entries.delete(identity);
    this.dirty = true;
  }

  private rebuild(): void {
    this.ids = [...this.entries.keys()];
    const d = this.dims;
    this.flat = new Float32Array(this.ids.length * d);
    this.flatClassroom = this.hasClassroom ? new Float32Array(this.ids.length * d) : null;
    this.ids.forEach((id, k) => {
      const e = this.entries.get(id)!;
      this.flat.subarray(k * d, (k + 1) * d).set(e.sum);
      l2normalize(this.flat.subarray(k * d, (k + 1) * d));
      if (this.flatClassroom && e.classroom) {
        this.flatClassroom.subarray(k * d, (k + 1) * d).set(e.classroom);
        l2normalize(this.flatClassroom.subarray(k * d, (k + 1) * d));
      }
    });
    this.quantized = this.ids.length > this.exactUpTo ? quantizeRows(this.flat, d) : null;
    this.dirty = false;
  }

  /**
   * Score of the probe with every identity (or a shortlist of them), unsorted: its cosine with the
   * sharp centroid, blended with its cosine with the classroom centroid by `alpha` (dual galleries).
   */
  private async scores(probe: Float32Array, alpha = 0): Promise<Array<{ k: number; score: number }>> {
    if (this.dirty) this.rebuild();
    const n = this.ids.length,
      d = this.dims;
    const room = alpha > 0 ? this.flatClassroom : null;
    const exact = room
      ? (k: number) => (1 - alpha) * dot(this.flat, k * d, probe, d) + alpha * dot(room, k * d, probe, d)
      : (k: number) => dot(this.flat, k * d, probe, d);
    if (!this.quantized) {
      const out = new Array<{ k: number; score: number }>(n);
      for (let k = 0; k < n; k++) out[k] = { k, score: exact(k) };
      return out;
    }
    const coarse = await int8Scores(this.quantized, probe);
    return topK(coarse, this.shortlistSize).map((k) => ({ k, score: exact(k) }));
  }

  async rank(probe: FaceTemplate, limit: number): Promise<Array<{ identity: string; score: number }>> {
    const v = this.vector(probe);
    return (await this.scores(v, classroomWeight(probe.faceWidth)))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map(({ k, score }) => ({ identity: this.ids[k], score }));
  }

  async identify(probe: FaceTemplate): Promise<Identification> {
    if (this.entries.size === 0)
      return { status: 'unknown', reason: 'empty-gallery', bestIdentity: null, score: null, runnerUp: null };
    const v = this.vector(probe);
    let best = -1,
      bestScore = -Infinity,
      second = -Infinity;
    for (const { k, score } of await this.scores(v, classroomWeight(probe.faceWidth))) {
      if (score > bestScore) {
        second = bestScore;
        bestScore = score;
        best = k;
      } else if (score > second) second = score;
    }
    const identity = this.ids[best];
    const runnerUp = Number.isFinite(second) ? second : null;
    if (bestScore <= this.threshold)
      return { status: 'unknown', reason: 'below-threshold', bestIdentity: identity, score: bestScore, runnerUp };
    if (runnerUp !== null && bestScore - runnerUp < this.minMargin)
      return { status: 'unknown', reason: 'ambiguous', bestIdentity: identity, score: bestScore, runnerUp };
    return { status: 'match', identity, score: bestScore, runnerUp };
  }
}

function dot(a: Float32Array, offset: number, b: Float32Array, n: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[offset + i] * b[i];
    s1 += a[offset + i + 1] * b[i + 1];
    s2 += a[offset + i + 2] * b[i + 2];
    s3 += a[offset + i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[offset + i] * b[i];
  return s0 + s1 + s2 + s3;
}

/** Indices of the k largest values (unordered), O(n log k). */
function topK(values: Float32Array, k: number): number[] {
  if (values.length <= k) return Array.from(values.keys());
  const heap: number[] = []; // min-heap of indices by value
  const less = (i: number, j: number) => values[heap[i]] < values[heap[j]];
  const swap = (i: number, j: number) => {
    const t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let idx = 0; idx < values.length; idx++) {
    if (heap.length < k) {
      heap.push(idx);
      for (let i = heap.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) break;
        swap(i, p);
        i = p;
      }
    } else if (values[idx] > values[heap[0]]) {
      heap[0] = idx;
      down(0);
    }
  }
  return heap;
}
