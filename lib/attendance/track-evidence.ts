/**
 * What one face track has shown so far, and what it is (STYLE §2, §16). A seated student is in view
 * for the whole class, so a track is never given up while its face is there:
 *
 * - it is sampled in a burst when it appears (its first frames, then every `embedEvery`th), and after
 *   `firstVerdictAfter` sightings without a decision it is called unknown — for now — and keeps being
 *   sampled, one sighting every `resampleMs`, for as long as it lives;
 * - each sighting's embedding joins the track's fused template (lib/face/fusion.ts), and the decision
 *   is taken on that template: its best identity must be above the threshold and clear the runner-up
 *   by `minMargin`, after at least `minSightings` sightings;
 * - a recognised track is decided for good and costs detection only.
 *
 * Matchers whose templates are not embeddings (keypoints) cannot be fused: their tracks are decided by
 * the vote of their sightings (track-vote.ts), sampled the same way.
 */
import type { Identification } from '@/lib/face/types';
import { FusedEmbedding } from '@/lib/face/fusion';
import { decideVotes, type TrackDecision } from './track-vote';

export type { TrackDecision } from './track-vote';

export interface EvidenceOptions {
  /** The matcher's threshold: a track's fused template must score strictly above it (and above `fusedThresholds`). */
  threshold: number;
  /**
   * The bar for a fused template by the width of the faces it was made from (its sightings' weighted mean
   * width, px), as [width, threshold] steps, ascending by width (see fusedBar). Fusing
   * takes the noise out of small faces, for strangers too, and small faces look more alike than large
   * ones; see lib/face/config.ts for how the points were chosen. Absent: `threshold` at every size.
   */
  fusedThresholds?: ReadonlyArray<readonly [width: number, threshold: number]>;
  /** Best − runner-up score of the fused template must be at least this. */
  minMargin: number;
  /** Sightings needed before a track can be recognised. */
  minSightings: number;
  /** Embed the first `embedFirst` frames of a track, then every `embedEvery`th, until the first verdict. */
  embedFirst: number;
  embedEvery: number;
  /** Sightings after which an undecided track is reported unknown (and then keeps being sampled). */
  firstVerdictAfter: number;
  /** After the first verdict, one sighting this often while the face stays in view. */
  resampleMs: number;
}

/**
 * A track is recognised on the evidence of two or more sightings; the first verdict comes after six
 * (what the old vote gave up after, so the log and review queue keep their rhythm); then one sighting
 * every 2 s: 45 more looks a minute at a face that was not recognised, at the cost of ~22 ms each.
 */
export const DEFAULT_EVIDENCE_OPTIONS: Omit<EvidenceOptions, 'threshold'> = {
  minMargin: 0.05,
  minSightings: 2,
  embedFirst: 2,
  embedEvery: 4,
  firstVerdictAfter: 6,
  resampleMs: 2_000,
};

export type UnknownReason = Extract<TrackDecision, { status: 'unknown' }>['reason'];

/** What a sighting changed: the track became recognised, got its first "unknown", or nothing yet. */
export type EvidenceChange =
  | { kind: 'recognized'; decision: Extract<TrackDecision, { status: 'recognized' }>; afterUnknown: boolean }
  | { kind: 'unknown'; decision: Extract<TrackDecision, { status: 'unknown' }> }
  | null;

/** Whether the `frameIndex`th frame (0-based) of a track falls in its opening burst of sightings. */
export function inBurst(frameIndex: number, opts: Pick<EvidenceOptions, 'embedFirst' | 'embedEvery'>): boolean {
  if (frameIndex < opts.embedFirst) return true;
  return (frameIndex - opts.embedFirst + 1) % Math.max(1, opts.embedEvery) === 0;
}

/**
 * The fused-template bar at `width` (px): the bar of the largest calibrated width at or below it (the
 * smallest's below them all), never under `threshold`. A step, not a line between the points: stranger
 * scores fall as faces grow, so a bar measured at one width is safe up to the next measured width, while
 * between two measured widths nothing says a line would be.
 */
export function fusedBar(opts: Pick<EvidenceOptions, 'threshold' | 'fusedThresholds'>, width: number): number {
  const points = opts.fusedThresholds;
  if (!points || points.length === 0) return opts.threshold;
  let bar = points[0]![1];
  for (const [w, t] of points) if (width >= w) bar = t;
  return Math.max(opts.threshold, bar);
}

export class TrackEvidence {
  readonly fused = new FusedEmbedding();
  /** Σ weight × face width of the fused sightings, for the fused bar. */
  private widthSum = 0;
  private weightSum = 0;
  private votes: Identification[] = [];
  private sightingCount = 0;
  private lastSightingAt = -Infinity;
  private result: TrackDecision | null = null;
  /** The best score of the fused template so far (whoever it pointed at), for the log. */
  private best: number | null = null;

  constructor(private readonly opts: EvidenceOptions) {}

  get decision(): TrackDecision | null {
    return this.result;
  }

  get recognized(): boolean {
    return this.result?.status === 'recognized';
  }

  get sightings(): number {
    return this.sightingCount;
  }

  get bestScore(): number | null {
    return this.best;
  }

  /** When the track's last sighting was embedded (ms; -Infinity before the first). */
  get lastSeenAt(): number {
    return this.lastSightingAt;
  }

  /** The weighted mean width (px) of the fused sightings, or null before the first. */
  get faceWidth(): number | null {
    return this.weightSum > 0 ? this.widthSum / this.weightSum : null;
  }

  /** What the fused template must score now: the bar for the size of the faces it was made from. */
  get bar(): number {
    const width = this.faceWidth;
    return width === null ? this.opts.threshold : fusedBar(this.opts, width);
  }

  /** Whether the track's `frameIndex`th frame, seen at `at` (ms), should be embedded. */
  wantsSighting(frameIndex: number, at: number): boolean {
    if (this.recognized) return false;
    if (this.result === null) return inBurst(frameIndex, this.opts);
    return at - this.lastSightingAt >= this.opts.resampleMs;
  }

  /** Takes over a broken track's evidence: its fused template, its sightings and its decision. */
  inherit(from: TrackEvidence): void {
    this.fused.merge(from.fused);
    this.widthSum += from.widthSum;
    this.weightSum += from.weightSum;
    this.votes = [...from.votes, ...this.votes];
    this.sightingCount += from.sightingCount;
    this.lastSightingAt = Math.max(this.lastSightingAt, from.lastSightingAt);
    if (from.best !== null) this.best = Math.max(this.best ?? -Infinity, from.best);
    if (from.result?.status === 'recognized' || (from.result && !this.result)) this.result = from.result;
  }

  /**
   * One more sighting. `embedding` (with its quality weight) joins the fused template when the matcher
   * works on embeddings; `identify` then matches what the track shows now: the fused template, or for
   * other matchers this sighting's own template, which is added to the votes.
   */
  async addSighting(
    at: number,
    sighting: { embedding: Float32Array | null; weight: number; faceWidth?: number },
    identify: (fused: FusedEmbedding | null) => Promise<Identification>,
  ): Promise<EvidenceChange> {
    if (this.recognized) return null;
    this.sightingCount += 1;
    this.lastSightingAt = at;
    if (sighting.embedding) {
      this.fused.add(sighting.embedding, sighting.weight);
      this.widthSum += sighting.weight * (sighting.faceWidth ?? Infinity);
      this.weightSum += sighting.weight;
    }
    const id = await identify(sighting.embedding ? this.fused : null);
    if (id.score !== null) this.best = Math.max(this.best ?? -Infinity, id.score);
    // In its opening burst an embedding track is also voted on, sighting by sighting, each vote held to
    // the bar of its own face size: two clear looks recognise a student even when a bad pose drags the
    // fused template down. Only then: a stranger watched for 90 minutes would otherwise get thousands of
    // chances at two lucky looks, while the fused template only settles.
    const burst = this.sightingCount <= this.opts.firstVerdictAfter;
    const fused = sighting.embedding ? this.judgeFused(id) : null;
    const vote = sighting.embedding ? (burst ? this.heldToBar(await identify(null), sighting.faceWidth) : null) : id;
    const recognized = fused ?? (vote ? this.judgeVotes(vote) : null);
    if (recognized) {
      const afterUnknown = this.result?.status === 'unknown';
      this.result = recognized;
      return { kind: 'recognized', decision: recognized, afterUnknown };
    }
    if (this.result !== null || this.sightingCount < this.opts.firstVerdictAfter) return null;
    const decision: Extract<TrackDecision, { status: 'unknown' }> = {
      status: 'unknown',
      reason: this.unknownReason(id),
      votes: this.sightingCount,
      bestIdentity: id.status === 'match' ? id.identity : id.bestIdentity,
    };
    this.result = decision;
    return { kind: 'unknown', decision };
  }

  /** A sighting's own match counts as a vote only above the fused bar for its face width. */
  private heldToBar(id: Identification, faceWidth: number | undefined): Identification {
    if (id.status !== 'match' || id.score > fusedBar(this.opts, faceWidth ?? Infinity)) return id;
    return {
      status: 'unknown',
      reason: 'below-threshold',
      bestIdentity: id.identity,
      score: id.score,
      runnerUp: id.runnerUp,
    };
  }

  private judgeFused(id: Identification): Extract<TrackDecision, { status: 'recognized' }> | null {
    if (this.sightingCount < this.opts.minSightings || id.score === null) return null;
    const identity = id.status === 'match' ? id.identity : id.bestIdentity;
    if (!identity || !(id.score > this.bar)) return null;
    if (id.score - (id.runnerUp ?? 0) < this.opts.minMargin) return null;
    return { status: 'recognized', identity, score: id.score, votes: this.sightingCount };
  }

  private judgeVotes(id: Identification): Extract<TrackDecision, { status: 'recognized' }> | null {
    // The last few votes only: agreeing looks must be close in time, and old ones do not pile up.
    this.votes.push(id);
    if (this.votes.length > this.opts.firstVerdictAfter) this.votes.shift();
    const d = decideVotes(this.votes, {
      minVotes: this.opts.minSightings,
      threshold: this.opts.threshold,
      minMargin: this.opts.minMargin,
      maxVotes: Infinity,
    });
    return d?.status === 'recognized' ? d : null;
  }

  private unknownReason(id: Identification): UnknownReason {
    if (id.score === null || !(id.score > (this.weightSum > 0 ? this.bar : this.opts.threshold))) return 'low-score';
    if (id.score - (id.runnerUp ?? 0) < this.opts.minMargin) return 'ambiguous';
    return this.votes.length > 0 ? 'no-majority' : 'ambiguous';
  }
}
