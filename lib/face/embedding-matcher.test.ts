import { describe, expect, it } from 'vitest';
import { bytesToEmbedding, embeddingToBytes, l2normalize } from './embedding-bytes';
import { EmbeddingMatcher, classroomWeight, type EmbeddingMatcherOptions } from './embedding-matcher';
import type { FaceTemplate } from './types';

const MODEL = 'test-model';
const VERSION = '1';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function randomUnit(dims: number, next: () => number): Float32Array {
  return l2normalize(Float32Array.from({ length: dims }, () => gaussian(next)));
}

/** `v` plus Gaussian noise of total length ≈ `amount`, renormalised. */
function near(v: Float32Array, amount: number, next: () => number): Float32Array {
  const s = amount / Math.sqrt(v.length);
  return l2normalize(v.map((x) => x + s * gaussian(next)));
}

function basis(dims: number, ...weights: Array<[index: number, weight: number]>): Float32Array {
  const v = new Float32Array(dims);
  for (const [i, w] of weights) v[i] = w;
  return l2normalize(v);
}

const tpl = (v: Float32Array, model = MODEL, version = VERSION): FaceTemplate => ({
  model,
  version,
  data: embeddingToBytes(v),
});

const matcher = (opts: Partial<EmbeddingMatcherOptions> = {}) =>
  new EmbeddingMatcher({ model: MODEL, version: VERSION, threshold: 0.5, ...opts });

describe('embedding bytes', () => {
  it('round-trip float32 little-endian and reject a blob that is not a float32 vector', async () => {
    const v = Float32Array.from([0.25, -1.5, 3e-8, 0]);
    const bytes = embeddingToBytes(v);
    expect(bytes.length).toBe(16);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 0x80, 0x3e]);
    expect(Array.from(bytesToEmbedding(bytes))).toEqual(Array.from(v));
    // a view into a bigger buffer at an odd offset (as a DB driver may hand it over)
    const big = new Uint8Array(21);
    big.set(bytes, 3);
    expect(Array.from(bytesToEmbedding(big.subarray(3, 19)))).toEqual(Array.from(v));
    expect(() => bytesToEmbedding(new Uint8Array(7))).toThrow(/not a float32 vector/);
  });
});

describe('EmbeddingMatcher.identify', () => {
  const D = 32;

  it('returns the right identity with its cosine score and the runner-up', async () => {
    const next = rng(1);
    const people = Array.from({ length: 8 }, () => randomUnit(D, next));
    const m = matcher();
    people.forEach((v, i) => m.add(`p${i}`, tpl(v)));
    expect(m.size).toEqual({ identities: 8, templates: 8 });
    for (let i = 0; i < people.length; i++) {
      const r = await m.identify(tpl(near(people[i], 0.3, next)));
      expect(r.status).toBe('match');
      if (r.status !== 'match') continue;
      expect(r.identity).toBe(`p${i}`);
      expect(r.score).toBeGreaterThan(0.9);
      expect(r.score).toBeLessThanOrEqual(1 + 1e-6);
      expect(r.runnerUp).not.toBeNull();
      expect(r.runnerUp!).toBeLessThan(r.score);
    }
  });

  it('uses the centroid of an identity’s templates', async () => {
    const m = matcher({ threshold: 0.8 });
    m.add('ada', tpl(basis(D, [0, 1])));
    m.add('ada', tpl(basis(D, [1, 1])));
    m.add('bob', tpl(basis(D, [5, 1])));
    expect(m.size).toEqual({ identities: 2, templates: 3 });
    // Each enrolled photo alone scores cos 45° = 0.707 against the centroid direction (e0 + e1).
    const r = await m.identify(tpl(basis(D, [0, 1], [1, 1])));
    expect(r).toMatchObject({ status: 'match', identity: 'ada' });
    expect(r.score).toBeCloseTo(1, 5);
  });

  it('a best score at or below the threshold is unknown (below-threshold), still naming the best identity', async () => {
    const m = matcher({ threshold: 0.6 });
    m.add('ada', tpl(basis(D, [0, 1])));
    m.add('bob', tpl(basis(D, [1, 1])));
    // cos with ada = 0.5, with bob = 0
    const r = await m.identify(tpl(basis(D, [0, 1], [2, Math.sqrt(3)])));
    expect(r).toMatchObject({ status: 'unknown', reason: 'below-threshold', bestIdentity: 'ada' });
    expect(r.score).toBeCloseTo(0.5, 5);
    expect(r.runnerUp).toBeCloseTo(0, 5);
    // strictly above: the same probe is a match once the threshold is lower than its score
    const lower = matcher({ threshold: 0.49 });
    lower.add('ada', tpl(basis(D, [0, 1])));
    expect(await lower.identify(tpl(basis(D, [0, 1], [2, Math.sqrt(3)])))).toMatchObject({
      status: 'match',
      identity: 'ada',
      runnerUp: null,
    });
  });

  it('an empty gallery answers unknown / empty-gallery', async () => {
    const r = await matcher().identify(tpl(basis(D, [0, 1])));
    expect(r).toEqual({ status: 'unknown', reason: 'empty-gallery', bestIdentity: null, score: null, runnerUp: null });
  });

  it('refuses templates of another model or version, or of another length, with a message saying to re-enroll', async () => {
    const m = matcher();
    m.add('ada', tpl(basis(D, [0, 1])));
    await expect(m.identify(tpl(basis(D, [0, 1]), MODEL, '2'))).rejects.toThrow(
      /test-model@2 cannot be matched by test-model@1.*re-enroll/,
    );
    expect(() => m.add('bob', tpl(basis(D, [0, 1]), 'other-model', VERSION))).toThrow(
      /other-model@1 cannot be matched/,
    );
    await expect(m.rank(tpl(basis(D, [0, 1]), 'other-model', VERSION), 3)).rejects.toThrow(/re-enroll/);
    await expect(m.identify(tpl(basis(D + 4, [0, 1])))).rejects.toThrow(/36 dimensions, gallery has 32/);
    expect(m.size).toEqual({ identities: 1, templates: 1 });
  });

  it('removeIdentity drops every template of that identity; removing an unknown name is a no-op', async () => {
    const m = matcher();
    m.add('ada', tpl(basis(D, [0, 1])));
    m.add('ada', tpl(basis(D, [0, 1], [1, 0.1])));
    m.add('bob', tpl(basis(D, [1, 1])));
    expect(await m.identify(tpl(basis(D, [0, 1])))).toMatchObject({ status: 'match', identity: 'ada' });
    m.removeIdentity('ada');
    m.removeIdentity('nobody');
    expect(m.size).toEqual({ identities: 1, templates: 1 });
    const r = await m.identify(tpl(basis(D, [0, 1])));
    expect(r.status === 'match' ? r.identity : r.bestIdentity).toBe('bob');
    expect(r.status).toBe('unknown');
    expect((await m.rank(tpl(basis(D, [0, 1])), 10)).map((x) => x.identity)).toEqual(['bob']);
    m.removeIdentity('bob');
    expect(await m.identify(tpl(basis(D, [0, 1])))).toMatchObject({ status: 'unknown', reason: 'empty-gallery' });
    // re-enrolling after removal works
    m.add('ada', tpl(basis(D, [0, 1])));
    expect(await m.identify(tpl(basis(D, [0, 1])))).toMatchObject({ status: 'match', identity: 'ada' });
  });

  it('with minMargin, two identities that score almost the same are ambiguous', async () => {
    const a = basis(D, [0, 1]);
    const b = basis(D, [0, 1], [1, 0.1]); // cos(a, b) ≈ 0.995
    const probe = tpl(a);
    const strict = matcher({ minMargin: 0.05 });
    strict.add('ada', tpl(a));
    strict.add('bob', tpl(b));
    const r = await strict.identify(probe);
    expect(r).toMatchObject({ status: 'unknown', reason: 'ambiguous', bestIdentity: 'ada' });
    expect(r.score! - r.runnerUp!).toBeLessThan(0.05);
    const lax = matcher();
    lax.add('ada', tpl(a));
    lax.add('bob', tpl(b));
    expect(await lax.identify(probe)).toMatchObject({ status: 'match', identity: 'ada' });
    // a clear winner passes the margin
    strict.add('cyd', tpl(basis(D, [7, 1])));
    expect(await strict.identify(tpl(basis(D, [7, 1])))).toMatchObject({ status: 'match', identity: 'cyd' });
  });

  it('rank lists identities best first and honours the limit', async () => {
    const m = matcher();
    m.add('ada', tpl(basis(D, [0, 1])));
    m.add('bob', tpl(basis(D, [0, 1], [1, 1])));
    m.add('cyd', tpl(basis(D, [1, 1])));
    const r = await m.rank(tpl(basis(D, [0, 1], [1, 0.2])), 2);
    expect(r.map((x) => x.identity)).toEqual(['ada', 'bob']);
    expect(r[0].score).toBeGreaterThan(r[1].score);
  });
});

describe('EmbeddingMatcher two-stage search of a large gallery (int8 ONNX pass, exact rescoring)', () => {
  const D = 64,
    N = 1000;
  const next = rng(42);
  const people = Array.from({ length: N }, () => randomUnit(D, next));
  const exact = matcher({ threshold: 0.3 });
  const twoStage = matcher({ threshold: 0.3, exactUpTo: 10, shortlist: 20 });
  people.forEach((v, i) => {
    exact.add(`p${i}`, tpl(v));
    twoStage.add(`p${i}`, tpl(v));
  });

  it('actually takes the shortlist path (rank can only see the shortlist)', async () => {
    expect(await twoStage.rank(tpl(people[0]), N)).toHaveLength(20);
    expect(await exact.rank(tpl(people[0]), N)).toHaveLength(N);
  });

  it('returns the same best identity and score as exact search for probes near enrolled vectors', async () => {
    let same = 0;
    const probes = Array.from({ length: 100 }, (_, j) => ({
      truth: (j * 37) % N,
      v: near(people[(j * 37) % N], 0.3, next),
    }));
    for (const { truth, v } of probes) {
      const e = await exact.identify(tpl(v));
      const t = await twoStage.identify(tpl(v));
      expect(e).toMatchObject({ status: 'match', identity: `p${truth}` });
      if (t.status === 'match' && t.identity === `p${truth}`) same++;
      expect(t.score).toBeCloseTo(e.score!, 6);
    }
    expect(same).toBe(probes.length);
  });

  it('sees additions and removals made after the index was built', async () => {
    const extra = randomUnit(D, next);
    twoStage.add('late', tpl(extra));
    expect(await twoStage.identify(tpl(near(extra, 0.2, next)))).toMatchObject({ status: 'match', identity: 'late' });
    twoStage.removeIdentity('late');
    const r = await twoStage.identify(tpl(extra));
    expect(r.status === 'match' ? r.identity : r.bestIdentity).not.toBe('late');
    expect(twoStage.size).toEqual({ identities: N, templates: N });
  });
});

describe('dual templates (sharp | classroom)', () => {
  const M = { model: 'm', version: '1' };
  const t = (...v: number[]) => ({ ...M, data: embeddingToBytes(l2normalize(Float32Array.from(v))) });
  const pair = (sharp: number[], classroom: number[]) => ({
    ...M,
    data: embeddingToBytes(
      Float32Array.from([...l2normalize(Float32Array.from(sharp)), ...l2normalize(Float32Array.from(classroom))]),
    ),
  });

  it('matches a large face against the sharp centroid and a small one against the classroom centroid', async () => {
    const m = new EmbeddingMatcher({ ...M, threshold: 0.5, dual: { dims: 3 } });
    m.add('ann', pair([1, 0, 0], [0, 1, 0]));
    const probe = t(0.1, 1, 0);
    expect((await m.identify({ ...probe, faceWidth: 100 })).score).toBeCloseTo(0.0995, 3);
    expect((await m.identify({ ...probe, faceWidth: 20 })).score).toBeCloseTo(0.25 * 0.0995 + 0.75 * 0.995, 3);
    expect(classroomWeight(36)).toBeCloseTo(0.375);
    expect(classroomWeight(60)).toBe(0);
    expect((await m.identify({ ...probe, faceWidth: 36 })).score).toBeCloseTo(0.625 * 0.0995 + 0.375 * 0.995, 3);
    // No width said (a photo): sharp.
    expect((await m.identify(probe)).score).toBeCloseTo(0.0995, 3);
  });

  it('takes plain templates (an unknown face assigned in review) for both centroids, and refuses other sizes', async () => {
    const m = new EmbeddingMatcher({ ...M, threshold: 0.5, dual: { dims: 3 } });
    m.add('bo', t(0, 0, 1));
    expect((await m.identify({ ...t(0, 0, 1), faceWidth: 20 })).score).toBeCloseTo(1);
    expect((await m.identify({ ...t(0, 0, 1), faceWidth: 90 })).score).toBeCloseTo(1);
    expect(() => m.add('cy', t(1, 0, 0, 0))).toThrow(/dimensions/);
  });
});
