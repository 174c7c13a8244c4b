import { describe, expect, it } from 'vitest';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import { l2normalize } from '@/lib/face/embedding-bytes';
import type { FusedEmbedding } from '@/lib/face/fusion';
import type { Identification } from '@/lib/face/types';
import { MODEL, tpl } from '@/test/helpers/processor-fakes';
import {
  DEFAULT_EVIDENCE_OPTIONS,
  TrackEvidence,
  fusedBar,
  inBurst,
  type EvidenceChange,
  type EvidenceOptions,
} from './track-evidence';

const opts: EvidenceOptions = { ...DEFAULT_EVIDENCE_OPTIONS, threshold: 0.5 };

/** A gallery of two students, ann along axis 0 and bo along axis 1 (the other axes are noise). */
function gallery() {
  const m = new EmbeddingMatcher({ ...MODEL, threshold: 0.5 });
  m.add('ann', tpl(1, 0, 0, 0, 0, 0));
  m.add('bo', tpl(0, 1, 0, 0, 0, 0));
  return m;
}

/** A sighting of ann: her direction plus noise of the given size on the noise axes (deterministic). */
function annSighting(i: number, signal = 0.4, noise = 1): Float32Array {
  const n = [Math.sin(i * 2.1), Math.cos(i * 1.7), Math.sin(i * 3.3 + 1), Math.cos(i * 0.9 + 2)];
  return l2normalize(Float32Array.from([signal, 0.05, ...n.map((x) => x * noise)]));
}

/** Matches the fused template, or for a sighting's own vote (null) the sighting `v` itself. */
const identifyEither =
  (m: EmbeddingMatcher, v: Float32Array) =>
  async (fused: FusedEmbedding | null): Promise<Identification> =>
    m.identify(fused ? fused.template(MODEL.model, MODEL.version)! : tpl(...v));

/** Matches the fused template; a single sighting's own template (null) gives no vote in these tests. */
const identifyWith =
  (m: EmbeddingMatcher) =>
  async (fused: FusedEmbedding | null): Promise<Identification> =>
    fused
      ? m.identify(fused.template(MODEL.model, MODEL.version)!)
      : { status: 'unknown', reason: 'below-threshold', bestIdentity: null, score: null, runnerUp: null };

/**
 * A new track of ann seen in two poses, a turned one far from her photo (cosine 0.28) and a clear one (0.6):
 * `look(i, pose)` adds its i-th sighting, `stepMs` after the one before.
 */
function twoPoseTrack(stepMs: number) {
  const m = gallery();
  const ev = new TrackEvidence(opts);
  const turned = l2normalize(Float32Array.from([0.28, 0, 0.96, 0, 0, 0]));
  const clear = l2normalize(Float32Array.from([0.6, 0, 0, 0.8, 0, 0]));
  const look = (i: number, v: Float32Array) =>
    ev.addSighting(i * stepMs, { embedding: v, weight: 1 }, identifyEither(m, v));
  return { ev, look, turned, clear };
}

describe('inBurst', () => {
  it('samples the first frames, then every Nth', () => {
    const picked = Array.from({ length: 16 }, (_, i) => i).filter((i) => inBurst(i, { embedFirst: 3, embedEvery: 4 }));
    expect(picked).toEqual([0, 1, 2, 6, 10, 14]);
  });
});

describe('TrackEvidence', () => {
  it('recognises a small noisy face from its fused sightings although no single sighting clears the threshold', async () => {
    const m = gallery();
    // Arriving (turned away, in the dark) for 6 sightings, then seated: still small and noisy.
    const sighting = (i: number) => annSighting(i, i < 6 ? 0.05 : 0.4);
    const singles = await Promise.all(Array.from({ length: 40 }, (_, i) => m.identify(tpl(...sighting(i)))));
    expect(singles.every((s) => (s.score ?? 0) < 0.5)).toBe(true);
    const ev = new TrackEvidence(opts);
    const changes = [];
    for (let i = 0; i < 40 && !ev.recognized; i++)
      changes.push(await ev.addSighting(i * 1000, { embedding: sighting(i), weight: 1 }, identifyWith(m)));
    expect(ev.decision).toMatchObject({ status: 'recognized', identity: 'ann' });
    // Reported unknown after 6 sightings, recognised later on the same track: the change says so.
    expect(changes.find((c) => c?.kind === 'unknown')).toBeDefined();
    expect(changes.find((c) => c?.kind === 'recognized')).toMatchObject({ afterUnknown: true });
  });

  it('never recognises a stranger however many sightings it fuses', async () => {
    const m = gallery();
    const ev = new TrackEvidence(opts);
    // A stranger: a face of their own (axis 2), a little of ann's and bo's, and noise on the other axes.
    for (let i = 0; i < 300; i++) {
      const v = annSighting(i, 0, 1);
      v[0] = 0.15;
      v[1] = 0.15;
      v[2] = 0.6;
      await ev.addSighting(i * 2000, { embedding: l2normalize(v), weight: 1 }, identifyWith(m));
    }
    expect(ev.decision).toMatchObject({ status: 'unknown', reason: 'low-score' });
    expect(ev.bestScore).toBeLessThan(0.5);
  });

  it('asks for a sighting in its opening burst, then every resampleMs while unknown, never once recognised', async () => {
    const m = gallery();
    const ev = new TrackEvidence(opts);
    const weak = () => l2normalize(Float32Array.from([0.1, 0, 1, 0, 0, 0]));
    expect([0, 1, 2, 5].map((f) => ev.wantsSighting(f, 0))).toEqual([true, true, false, true]);
    for (let i = 0; i < 6; i++) await ev.addSighting(1000 + i, { embedding: weak(), weight: 1 }, identifyWith(m));
    expect(ev.decision?.status).toBe('unknown');
    expect(ev.wantsSighting(30, 1005 + opts.resampleMs - 1)).toBe(false);
    expect(ev.wantsSighting(31, 1005 + opts.resampleMs)).toBe(true);
    const ann = () => l2normalize(Float32Array.from([1, 0, 0.1, 0, 0, 0]));
    // The fused template needs a few good looks to outweigh six weak ones.
    for (let i = 0; i < 6 && !ev.recognized; i++)
      await ev.addSighting(5000 + i * 2000, { embedding: ann(), weight: 1 }, identifyWith(m));
    expect(ev.recognized).toBe(true);
    expect(ev.wantsSighting(99, 1e9)).toBe(false);
  });

  it('holds a track whose one clear look came last in its burst for a second clear look, and recognises it on that', async () => {
    const { ev, look, turned, clear } = twoPoseTrack(200);
    const changes: EvidenceChange[] = [];
    for (const v of [turned, turned, turned, turned, turned, clear]) changes.push(await look(changes.length, v));
    // Six looks, one clear: no verdict yet, the burst goes on (its frames are still asked for).
    expect(changes.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(changes[5]).toMatchObject({ kind: 'lead', identity: 'ann' });
    expect(ev.decision).toBeNull();
    expect(ev.wantsSighting(9, 0)).toBe(true);
    expect(await look(6, turned)).toBeNull();
    expect(await look(7, turned)).toBeNull();
    expect(await look(8, clear)).toMatchObject({
      kind: 'recognized',
      decision: { identity: 'ann' },
      afterUnknown: false,
    });
    expect(ev.sightings).toBe(9);
  });

  it('reopens the burst of a track reported unknown at a clear later look; three clear looks in it recognise the track', async () => {
    const { ev, look, turned, clear } = twoPoseTrack(2000);
    for (let i = 0; i < 6; i++) await look(i, turned);
    expect(ev.decision).toMatchObject({ status: 'unknown' });
    expect(ev.bursting).toBe(false);
    // A clear later look: the burst reopens (every 4th frame is asked for again, not one look per 2 s).
    expect(await look(6, clear)).toMatchObject({ kind: 'lead', identity: 'ann' });
    expect(ev.bursting).toBe(true);
    expect(ev.wantsSighting(41, 6 * 2000 + 1)).toBe(true);
    // Then the turned pose for the rest of the reopened burst: it closes, still unknown.
    for (let i = 7; i < 12; i++) expect(await look(i, turned)).toBeNull();
    expect(ev.bursting).toBe(false);
    expect(ev.decision).toMatchObject({ status: 'unknown' });
    // The next clear look reopens it again; a second clear look is not enough, a third is.
    expect(await look(12, clear)).toMatchObject({ kind: 'lead' });
    expect(await look(13, turned)).toBeNull();
    expect(await look(14, clear)).toBeNull();
    expect(await look(15, clear)).toMatchObject({
      kind: 'recognized',
      decision: { identity: 'ann' },
      afterUnknown: true,
    });
  });

  it('gives a stranger with one lucky look at most six more looks in the burst, then calls it unknown', async () => {
    const m = gallery();
    const stranger = (i: number) => l2normalize(Float32Array.from([0.1, 0.05, 1, Math.sin(i), Math.cos(i), 0]));
    const lucky = l2normalize(Float32Array.from([0.55, 0, 0, 0.835, 0, 0]));
    const run = async (luckyAt: number) => {
      const ev = new TrackEvidence(opts);
      const changes: EvidenceChange[] = [];
      for (let i = 0; i < 20; i++) {
        const v = i === luckyAt ? lucky : stranger(i);
        changes.push(await ev.addSighting(i * 2000, { embedding: v, weight: 1 }, identifyEither(m, v)));
      }
      return { ev, at: (kind: string) => changes.flatMap((c, i) => (c?.kind === kind ? [i + 1] : [])) };
    };
    // The lucky look is the 3rd: held at the 6th, unknown at the 9th, once it left the last six looks.
    const early = await run(2);
    expect(early.at('lead')).toEqual([6]);
    expect(early.at('unknown')).toEqual([9]);
    // The lucky look is the 6th: held until the 12th, no longer.
    const late = await run(5);
    expect(late.at('lead')).toEqual([6]);
    expect(late.at('unknown')).toEqual([12]);
    expect(late.ev.decision).toMatchObject({ status: 'unknown', votes: 12 });
    expect(late.at('recognized')).toEqual([]);
  });

  it('needs two sightings and a margin to the runner-up', async () => {
    const m = gallery();
    const ev = new TrackEvidence(opts);
    const ann = l2normalize(Float32Array.from([1, 0, 0, 0, 0, 0]));
    expect(await ev.addSighting(0, { embedding: ann, weight: 1 }, identifyWith(m))).toBeNull();
    expect(await ev.addSighting(1, { embedding: ann, weight: 1 }, identifyWith(m))).toMatchObject({
      kind: 'recognized',
    });
    const between = new TrackEvidence(opts);
    const both = l2normalize(Float32Array.from([1, 0.98, 0, 0, 0, 0]));
    for (let i = 0; i < 6; i++) await between.addSighting(i, { embedding: both, weight: 1 }, identifyWith(m));
    expect(between.decision).toMatchObject({ status: 'unknown', reason: 'ambiguous' });
  });

  it('inherits a broken track: its sightings, template and decision', async () => {
    const m = gallery();
    const old = new TrackEvidence(opts);
    const ann = l2normalize(Float32Array.from([1, 0, 0, 0, 0, 0]));
    await old.addSighting(0, { embedding: ann, weight: 1 }, identifyWith(m));
    await old.addSighting(1, { embedding: ann, weight: 1 }, identifyWith(m));
    const next = new TrackEvidence(opts);
    next.inherit(old);
    expect(next.recognized).toBe(true);
    expect(next.sightings).toBe(2);
    expect(next.fused.count).toBe(2);
  });

  it('decides keypoint tracks by the vote of their sightings', async () => {
    const ev = new TrackEvidence({ ...opts, threshold: 9 });
    const vote = (score: number): Identification => ({ status: 'match', identity: 'ann', score, runnerUp: 2 });
    expect(await ev.addSighting(0, { embedding: null, weight: 1 }, async () => vote(14))).toBeNull();
    expect(await ev.addSighting(1, { embedding: null, weight: 1 }, async () => vote(12))).toMatchObject({
      kind: 'recognized',
      decision: { identity: 'ann', votes: 2 },
    });
  });
});

describe('fusedBar', () => {
  const o = {
    threshold: 0.5,
    fusedThresholds: [
      [22, 0.6],
      [48, 0.5],
    ] as const,
  };
  it('is the bar of the largest calibrated size at or below the faces’ size (a step), never under the threshold', () => {
    expect(fusedBar(o, 16)).toBeCloseTo(0.6);
    expect(fusedBar(o, 22)).toBeCloseTo(0.6);
    expect(fusedBar(o, 35)).toBeCloseTo(0.6);
    expect(fusedBar(o, 47.9)).toBeCloseTo(0.6);
    expect(fusedBar(o, 48)).toBeCloseTo(0.5);
    expect(fusedBar(o, 200)).toBeCloseTo(0.5);
    expect(fusedBar({ ...o, threshold: 0.7 }, 22)).toBeCloseTo(0.7);
    expect(fusedBar({ threshold: 0.5 }, 22)).toBeCloseTo(0.5);
  });

  it('a track of small faces needs the higher bar: 0.55 recognises a large-face track, not a small-face one', async () => {
    const m = gallery();
    const v = l2normalize(Float32Array.from([0.56, 0, 0.83, 0, 0, 0])); // cosine ~0.56 with ann
    const small = new TrackEvidence({ ...opts, ...o });
    const large = new TrackEvidence({ ...opts, ...o });
    for (let i = 0; i < 4; i++) {
      await small.addSighting(i, { embedding: v, weight: 1, faceWidth: 22 }, identifyWith(m));
      await large.addSighting(i, { embedding: v, weight: 1, faceWidth: 60 }, identifyWith(m));
    }
    expect(small.recognized).toBe(false);
    expect(small.bar).toBeCloseTo(0.6);
    expect(large.recognized).toBe(true);
  });
});

describe('per-sighting votes on embedding tracks', () => {
  it('two clear looks recognise a student whose bad pose keeps the fused template under the bar', async () => {
    const m = gallery();
    const ev = new TrackEvidence(opts);
    const good = l2normalize(Float32Array.from([1, 0, 0.3, 0, 0, 0])); // ~0.96 with ann
    const bad = l2normalize(Float32Array.from([0, 0, 0, 1, 0, 0])); // nothing of ann: turned away
    for (const e of [bad, bad, good, bad, bad])
      await ev.addSighting(0, { embedding: e, weight: 1, faceWidth: 60 }, identifyEither(m, e));
    expect(ev.recognized).toBe(false);
    expect(
      await ev.addSighting(1, { embedding: good, weight: 1, faceWidth: 60 }, identifyEither(m, good)),
    ).toMatchObject({
      kind: 'recognized',
      decision: { identity: 'ann' },
    });
    // The fused template alone would not have done it.
    expect((await m.identify(ev.fused.template(MODEL.model, MODEL.version)!)).score).toBeLessThan(0.5);
  });

  it('a vote counts only above the bar of its own face size', async () => {
    const m = gallery();
    const ev = new TrackEvidence({
      ...opts,
      fusedThresholds: [
        [22, 0.6],
        [30, 0.5],
      ],
    });
    const fair = l2normalize(Float32Array.from([0.56, 0, 0.83, 0, 0, 0])); // ~0.56 with ann
    for (let i = 0; i < 6; i++)
      await ev.addSighting(i, { embedding: fair, weight: 1, faceWidth: 22 }, identifyEither(m, fair));
    expect(ev.recognized).toBe(false);
  });

  it('a stranger watched for a whole class (2,700 looks) is not recognised by a few lucky looks', async () => {
    const m = gallery();
    const ev = new TrackEvidence(opts);
    const own = l2normalize(Float32Array.from([0.1, 0.1, 0, 0, 1, 0])); // their own face
    const lucky = l2normalize(Float32Array.from([0.62, 0, 0, 0, 0.78, 0])); // now and then looks like ann (0.62)
    for (let i = 0; i < 2_700; i++) {
      const e = i > 6 && i % 50 === 0 ? lucky : own;
      await ev.addSighting(i * 2_000, { embedding: e, weight: 1, faceWidth: 40 }, identifyEither(m, e));
    }
    expect(ev.recognized).toBe(false);
    expect(ev.decision).toMatchObject({ status: 'unknown' });
  });
});
