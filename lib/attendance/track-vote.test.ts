import { describe, expect, it } from 'vitest';
import type { Identification } from '@/lib/face/types';
import { decideVotes, type VoteOptions } from './track-vote';

// The rules below are written for three votes; the shipped default (two) has its own test.
const opts: VoteOptions = { minVotes: 3, maxVotes: 6, minMargin: 0.05, threshold: 0.5 };
const match = (identity: string, score = 0.7, runnerUp: number | null = 0.3): Identification => ({
  status: 'match',
  identity,
  score,
  runnerUp,
});
const unknown = (score = 0.3): Identification => ({
  status: 'unknown',
  reason: 'below-threshold',
  bestIdentity: 'x',
  score,
  runnerUp: 0.2,
});

describe('decideVotes', () => {
  it('waits until minVotes agree', () => {
    expect(decideVotes([match('a'), match('a')], opts)).toBeNull();
    expect(decideVotes([match('a'), match('a'), match('a', 0.8)], opts)).toEqual({
      status: 'recognized',
      identity: 'a',
      score: expect.closeTo(0.7333, 3),
      votes: 3,
    });
  });

  it('accepts a majority despite one stray vote', () => {
    expect(decideVotes([match('a'), match('b'), match('a'), match('a')], opts)).toMatchObject({
      status: 'recognized',
      identity: 'a',
    });
  });

  it('calls a tie unknown', () => {
    const votes = [match('a'), match('b'), match('a'), match('b'), match('a'), match('b')];
    expect(decideVotes(votes, opts)).toMatchObject({ status: 'unknown', reason: 'tie' });
  });

  it('calls a face that never matches unknown after maxVotes, not before', () => {
    const votes = Array.from({ length: 6 }, () => unknown());
    expect(decideVotes(votes.slice(0, 5), opts)).toBeNull();
    expect(decideVotes(votes, opts)).toMatchObject({ status: 'unknown', reason: 'low-score', votes: 6 });
  });

  it('needs a margin to the runner-up identity', () => {
    const close = [match('a', 0.62, 0.6), match('a', 0.61, 0.59), match('a', 0.63, 0.6)];
    expect(decideVotes(close, opts)).toBeNull();
    expect(
      decideVotes([...close, match('a', 0.6, 0.58), match('a', 0.6, 0.59), match('a', 0.6, 0.58)], opts),
    ).toMatchObject({ status: 'unknown', reason: 'ambiguous' });
  });

  it('rejects a mean score at or below the threshold', () => {
    const weak = Array.from({ length: 6 }, () => match('a', 0.5, 0.1));
    expect(decideVotes(weak, opts)).toMatchObject({ status: 'unknown', reason: 'low-score' });
  });

  it('requires agreeing votes to be a majority of all votes', () => {
    const votes = [match('a'), unknown(), match('b'), match('a'), match('b'), match('a'), match('c')];
    expect(decideVotes(votes.slice(0, 6), opts)).toMatchObject({ status: 'unknown', reason: 'no-majority' });
  });
});

describe('two-vote rule (keypoint tracks)', () => {
  const defaults: VoteOptions = { minVotes: 2, maxVotes: 6, minMargin: 0.05, threshold: 0.5 };
  it('decides on two agreeing frames, never on one', () => {
    expect(decideVotes([match('a')], defaults)).toBeNull();
    expect(decideVotes([match('a'), match('a')], defaults)).toMatchObject({
      status: 'recognized',
      identity: 'a',
      votes: 2,
    });
  });
  it('does not decide on two votes for different people', () => {
    expect(decideVotes([match('a'), match('b')], defaults)).toBeNull();
  });
});
