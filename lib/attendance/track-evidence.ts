/**
 * What one face track has shown so far, and what it is (STYLE §2, §16). A seated student is in view
 * for the whole class, so a track is never given up while its face is there:
 *
 * - it is sampled in a burst when it appears (its first frames, then every `embedEvery`th), and after
 *   `firstVerdictAfter` sightings without a decision it is called unknown — for now — and keeps being
 *   sampled, one sighting every `resampleMs`, for as long as it lives. A track whose last few looks hold
 *   one clear look at a student (`lead`) stays in its burst for up to `firstVerdictAfter` more sightings,
 *   waiting for a second: a student whose first looks were turned away and whose clear look came last
 *   would otherwise wait on the rationed later looks (seconds apart) to be recognised;
 * - a later look that is a clear look at a student reopens the burst (`bursting`) for `firstVerdictAfter`
 *   looks, in which the clear look and two more at the same student recognise the track: a student
 *   whose opening looks all missed their good pose is recognised at the next good pose, not when the
 *   fused template of every look has climbed over the bar. Three, not two, because a track reported
 *   unknown can reopen many times in a class;
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
 * (what the old vote gave up after, so the log and review queue keep their rhythm), or after up to
 * twelve when one of the last six was a clear look at a student; then one sighting every 2 s: 45 more
 * looks a minute at a face that was not recognised, at the cost of ~22 ms each.
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

/**
 * What a sighting changed: the track became recognised, got its first "unknown", or is held in (or sent
 * back to) a burst by one clear look (`lead`: at the sighting that would have brought its first verdict,
 * or a later look at a track reported unknown), or nothing yet.
 */
export type EvidenceChange =
  | { kind: 'recognized'; decision: Extract<TrackDecision, { status: 'recognized' }>; afterUnknown: boolean }
  | { kind: 'unknown'; decision: Extract<TrackDecision, { status: 'unknown' }> }
  | { kind: 'lead'; identity: string; score: number }
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
  /** The sighting whose clear look reopened the burst of a track reported unknown, while it is open. */
  private reopenedAt: number | null = null;
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

  /**
   * Whether the track is in a burst of looks whose votes count: its opening one (not decided yet), or one
   * a clear later look reopened. It is sampled at the burst's pace, not among the later looks.
   */
  get bursting(): boolean {
    return this.result === null || this.reopenedAt !== null;
  }

  /** Whether the track's `frameIndex`th frame, seen at `at` (ms), should be embedded. */
  wantsSighting(frameIndex: number, at: number): boolean {
    if (this.recognized) return false;
    if (this.bursting) return inBurst(frameIndex, this.opts);
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
    // An open burst carries over, as far into it as it was.
    if (this.result?.status !== 'unknown') this.reopenedAt = null;
    else if (from.reopenedAt !== null) this.reopenedAt = this.sightingCount - (from.sightingCount - from.reopenedAt);
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
    // In a burst an embedding track is also voted on, sighting by sighting, each vote held to the bar of
    // its own face size: two clear looks recognise a student even when a bad pose drags the fused
    // template down. Only in a burst, and three in a reopened one: a stranger watched for 90 minutes
    // would otherwise get thousands of chances at two lucky looks, while the fused template only settles.
    const reopened = this.reopenedAt !== null;
    const fused = sighting.embedding ? this.judgeFused(id) : null;
    // Every look of a track reported unknown is matched on its own too: a clear one reopens the burst.
    const own = sighting.embedding ? this.heldToBar(await identify(null), sighting.faceWidth) : id;
    const vote = !sighting.embedding || this.bursting ? own : null;
    const needed = reopened ? this.opts.minSightings + 1 : this.opts.minSightings;
    const recognized = fused ?? (vote ? this.judgeVotes(vote, needed) : null);
    if (recognized) {
      const afterUnknown = this.result?.status === 'unknown';
      this.result = recognized;
      this.reopenedAt = null;
      return { kind: 'recognized', decision: recognized, afterUnknown };
    }
    if (this.result?.status === 'unknown') return sighting.embedding ? this.laterLook(own) : null;
    if (this.result !== null || this.sightingCount < this.opts.firstVerdictAfter) return null;
    const lead = this.sightingCount < 2 * this.opts.firstVerdictAfter ? this.lead() : null;
    if (lead) return this.sightingCount === this.opts.firstVerdictAfter ? { kind: 'lead', ...lead } : null;
    const decision: Extract<TrackDecision, { status: 'unknown' }> = {
      status: 'unknown',
      reason: this.unknownReason(id),
      votes: this.sightingCount,
      bestIdentity: id.status === 'match' ? id.identity : id.bestIdentity,
    };
    this.result = decision;
    return { kind: 'unknown', decision };
  }

  /**
   * A look at a track reported unknown that did not recognise it: a clear one reopens the burst, with the
   * votes starting from it; an open burst closes once its first look is no longer among the last
   * `firstVerdictAfter`.
   */
  private laterLook(own: Identification): EvidenceChange {
    if (this.reopenedAt !== null) {
      if (this.sightingCount - this.reopenedAt >= this.opts.firstVerdictAfter - 1) this.reopenedAt = null;
      return null;
    }
    if (own.status !== 'match') return null;
    this.reopenedAt = this.sightingCount;
    this.votes = [own];
    return { kind: 'lead', identity: own.identity, score: own.score };
  }

  /**
   * The clear look (a vote over the bar) among the track's last `firstVerdictAfter` votes, if any: the
   * burst goes on while it is there, for a second clear look at the same student. Strangers rarely give
   * one (the bar is over the best stranger's score at every width), and the wait ends after
   * `firstVerdictAfter` more sightings, so a stranger gains a few looks, not a class's worth.
   */
  private lead(): { identity: string; score: number } | null {
    for (let i = this.votes.length - 1; i >= 0; i--) {
      const v = this.votes[i]!;
      if (v.status === 'match') return { identity: v.identity, score: v.score };
    }
    return null;
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

  private judgeVotes(id: Identification, minVotes: number): Extract<TrackDecision, { status: 'recognized' }> | null {
    // The last few votes only: agreeing looks must be close in time, and old ones do not pile up.
    this.votes.push(id);
    if (this.votes.length > this.opts.firstVerdictAfter) this.votes.shift();
    const d = decideVotes(this.votes, {
      minVotes,
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
