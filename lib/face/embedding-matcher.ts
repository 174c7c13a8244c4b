/**
 * Open-set identification with deep embeddings. Each identity is represented by the normalised mean
 * of its templates (on the dev set the centroid beat max-over-templates on both rank-1 and accept
 * rate: averaging several photos cancels pose and lighting). Scores are cosine similarities.
 *
 * Large galleries are searched in two stages: int8 scores of every identity on ONNX Runtime
 * (onnx/int8-scores.ts, ~3 ms for 100,000), then exact float scores for the best `shortlist`.
 * Quantization moves a cosine by ≤ 0.001, so the exact best and runner-up are in a shortlist of 100
 * unless more than 100 identities sit within ~0.002 of the best — and then the probe is ambiguous anyway.
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
};

/** Running sum of an identity's templates: its centroid is the normalised sum. */
type Entry = { sum: Float32Array; count: number };

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
  private templateCount = 0;
  // Flat search index, rebuilt lazily after changes.
  private ids: string[] = [];
  private flat = new Float32Array(0);
  private quantized: Int8Rows | null = null;
  private dirty = false;

  constructor(opts: EmbeddingMatcherOptions) {
    this.model = opts.model;
    this.version = opts.version;
    this.threshold = opts.threshold;
    this.minMargin = opts.minMargin ?? 0;
    this.exactUpTo = opts.exactUpTo ?? 5000;
    this.shortlistSize = opts.shortlist ?? 100;
  }

  get size() {
    return { identities: this.entries.size, templates: this.templateCount };
  }

  private vector(t: FaceTemplate): Float32Array {
    if (t.model !== this.model || t.version !== this.version) {
      throw new Error(
        `Template from ${t.model}@${t.version} cannot be matched by ${this.model}@${this.version}; re-enroll with the current model`,
      );
    }
    const v = bytesToEmbedding(t.data);
    if (this.dims === 0) this.dims = v.length;
    else if (v.length !== this.dims) throw new Error(`Template has ${v.length} dimensions, gallery has ${this.dims}`);
    return v;
  }

  add(identity: string, template: FaceTemplate): void {
    const v = this.vector(template);
    const e = this.entries.get(identity);
    if (e) {
      for (let i = 0; i < v.length; i++) e.sum[i] += v[i];
      e.count++;
    } else this.entries.set(identity, { sum: v, count: 1 });
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
    this.ids.forEach((id, k) => {
      const row = this.flat.subarray(k * d, (k + 1) * d);
      row.set(this.entries.get(id)!.sum);
      l2normalize(row);
    });
    this.quantized = this.ids.length > this.exactUpTo ? quantizeRows(this.flat, d) : null;
    this.dirty = false;
  }

  /** Cosine of the probe with every identity (or a shortlist of them), unsorted. */
  private async scores(probe: Float32Array): Promise<Array<{ k: number; score: number }>> {
    if (this.dirty) this.rebuild();
    const n = this.ids.length,
      d = this.dims;
    const exact = (k: number) => dot(this.flat, k * d, probe, d);
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
    return (await this.scores(v))
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
    for (const { k, score } of await this.scores(v)) {
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
