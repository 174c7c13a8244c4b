/**
 * Per-track voting (STYLE §2) for matchers whose templates cannot be averaged (keypoints): each
 * sighting's recognition is a vote, and a track is recognised when enough votes agree with a clear
 * margin. Ties, low scores and disagreement are "unknown" — never a guess. Embedding matchers decide
 * on the track's fused template instead (track-evidence.ts).
 */
import type { Identification } from '@/lib/face/types';

export interface VoteOptions {
  /** Agreeing recognitions needed to decide for an identity. */
  minVotes: number;
  /** Mean score of the agreeing votes must be above this (the matcher's threshold). */
  threshold: number;
  /** Mean (score − runner-up score) of the agreeing votes must be at least this. */
  minMargin: number;
  /** Give up ("unknown") after this many votes without a decision. */
  maxVotes: number;
}

export type TrackDecision =
  | { status: 'recognized'; identity: string; score: number; votes: number }
  | {
      status: 'unknown';
      reason: 'tie' | 'low-score' | 'ambiguous' | 'no-majority';
      votes: number;
      bestIdentity: string | null;
    };

/** The decision for a set of votes, or null when more votes are needed. Pure. */
export function decideVotes(votes: readonly Identification[], opts: VoteOptions): TrackDecision | null {
  const byIdentity = new Map<string, { n: number; score: number; margin: number }>();
  for (const v of votes) {
    if (v.status !== 'match') continue;
    const e = byIdentity.get(v.identity) ?? { n: 0, score: 0, margin: 0 };
    e.n += 1;
    e.score += v.score;
    e.margin += v.score - (v.runnerUp ?? 0);
    byIdentity.set(v.identity, e);
  }
  const ranked = [...byIdentity.entries()].sort((a, b) => b[1].n - a[1].n);
  const [best, second] = ranked;
  const exhausted = votes.length >= opts.maxVotes;
  const bestIdentity = best?.[0] ?? lowScoreGuess(votes);
  if (best && best[1].n >= opts.minVotes) {
    const [identity, e] = best;
    if (second && second[1].n === e.n)
      return { status: 'unknown', reason: 'tie', votes: votes.length, bestIdentity: null };
    const meanScore = e.score / e.n;
    const agreeing = second ? e.n > votes.length / 2 : true;
    if (agreeing && meanScore > opts.threshold && e.margin / e.n >= opts.minMargin) {
      return { status: 'recognized', identity, score: meanScore, votes: votes.length };
    }
    if (!exhausted) return null;
    const reason = !agreeing ? 'no-majority' : meanScore > opts.threshold ? 'ambiguous' : 'low-score';
    return { status: 'unknown', reason, votes: votes.length, bestIdentity: identity };
  }
  if (!exhausted) return null;
  if (best && second && second[1].n === best[1].n)
    return { status: 'unknown', reason: 'tie', votes: votes.length, bestIdentity: null };
  return {
    status: 'unknown',
    reason: byIdentity.size > 0 ? 'no-majority' : 'low-score',
    votes: votes.length,
    bestIdentity,
  };
}

function lowScoreGuess(votes: readonly Identification[]): string | null {
  const last = votes.at(-1);
  return last?.status === 'unknown' ? last.bestIdentity : null;
}
