import { describe, expect, it } from 'vitest';
import { bytesToEmbedding, embeddingToBytes, l2normalize } from './embedding-bytes';
import { cosine, FusedEmbedding, fuseTemplates, sightingWeight } from './fusion';
import { randomFrom } from './simulated-sightings';

const DIMS = 512;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function unitVector(rand: () => number, dims = DIMS): Float32Array {
  return l2normalize(Float32Array.from({ length: dims }, () => gaussian(rand)));
}

/** `v` plus isotropic noise whose length is `noise` times v's, normalised: cosine with v ≈ 1/√(1+noise²). */
function noisyCopy(v: Float32Array, rand: () => number, noise: number): Float32Array {
  const n = unitVector(rand, v.length);
  return l2normalize(v.map((x, i) => x + noise * n[i]));
}

describe('FusedEmbedding', () => {
  it('gets closer to the vector its sightings are noisy copies of, the more sightings it fuses', () => {
    const rand = randomFrom(7);
    const person = unitVector(rand);
    const fused = new FusedEmbedding();
    const singles: number[] = [];
    const byCount = new Map<number, number>();
    for (let i = 1; i <= 64; i++) {
      const sighting = noisyCopy(person, rand, 1.5);
      singles.push(cosine(sighting, person));
      fused.add(sighting);
      if ([1, 4, 16, 64].includes(i)) byCount.set(i, cosine(fused.vector()!, person));
    }
    // one sighting: cos ≈ 1/√(1 + 1.5²) ≈ 0.55; N sightings: ≈ 1/√(1 + 1.5²/N)
    expect(Math.max(...singles)).toBeLessThan(0.65);
    expect(byCount.get(4)!).toBeGreaterThan(0.75);
    expect(byCount.get(16)!).toBeGreaterThan(0.9);
    expect(byCount.get(64)!).toBeGreaterThan(0.97);
    const sequence = [1, 4, 16, 64].map((n) => byCount.get(n)!);
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
    expect(fused.count).toBe(64);
    expect(fused.weight).toBe(64);
  });

  it('a stranger stays a stranger: fusing noisy copies of an unrelated face does not drift toward the gallery', () => {
    const rand = randomFrom(8);
    const enrolled = unitVector(rand);
    const stranger = unitVector(rand);
    const fused = new FusedEmbedding();
    for (let i = 0; i < 64; i++) fused.add(noisyCopy(stranger, rand, 1.5));
    expect(Math.abs(cosine(fused.vector()!, enrolled))).toBeLessThan(0.2);
  });

  it('weights each sighting: the fused vector is the normalised weighted sum', () => {
    const a = l2normalize(Float32Array.from([1, 0, 0])),
      b = l2normalize(Float32Array.from([0, 1, 0]));
    const fused = new FusedEmbedding();
    fused.add(a, 3);
    fused.add(b, 1);
    const v = fused.vector()!;
    expect(v[0]).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(v[1]).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(v[2]).toBe(0);
    expect(fused.count).toBe(2);
    expect(fused.weight).toBe(4);
  });

  it('ignores sightings without a positive weight', () => {
    const fused = new FusedEmbedding();
    for (const w of [0, -1, Number.NaN]) fused.add(Float32Array.from([1, 0]), w);
    expect(fused.count).toBe(0);
    expect(fused.vector()).toBeNull();
    expect(fused.template('m', '1')).toBeNull();
  });

  it('merging two tracks gives what one track with all their sightings would have', () => {
    const rand = randomFrom(9);
    const sightings = Array.from({ length: 10 }, () => ({ v: unitVector(rand, 16), w: 0.2 + rand() }));
    const all = new FusedEmbedding(),
      first = new FusedEmbedding(),
      second = new FusedEmbedding();
    sightings.forEach((s, i) => {
      all.add(s.v, s.w);
      (i < 4 ? first : second).add(s.v, s.w);
    });
    first.merge(second);
    first.merge(new FusedEmbedding()); // an empty track changes nothing
    expect(first.count).toBe(10);
    expect(first.weight).toBeCloseTo(all.weight, 12);
    const merged = first.vector()!,
      whole = all.vector()!;
    for (let i = 0; i < 16; i++) expect(merged[i]).toBeCloseTo(whole[i], 6);
    const empty = new FusedEmbedding();
    empty.merge(all);
    expect(empty.count).toBe(10);
    expect(cosine(empty.vector()!, whole)).toBeCloseTo(1, 6);
  });

  it('refuses embeddings or tracks of another size', () => {
    const fused = new FusedEmbedding();
    fused.add(new Float32Array([1, 0, 0]));
    expect(() => fused.add(new Float32Array([1, 0]))).toThrow(/2-d embedding into a 3-d template/);
    const other = new FusedEmbedding();
    other.add(new Float32Array([0, 1]));
    expect(() => fused.merge(other)).toThrow(/different sizes/);
  });

  it('its template carries the model that made the sightings and round-trips through the stored bytes', () => {
    const fused = new FusedEmbedding();
    fused.add(l2normalize(Float32Array.from([3, 4])));
    const t = fused.template('arcface-fr_feature', '1')!;
    expect(t.model).toBe('arcface-fr_feature');
    expect(t.version).toBe('1');
    expect([...bytesToEmbedding(t.data)].map((x) => +x.toFixed(6))).toEqual([0.6, 0.8]);
  });
});

describe('fuseTemplates', () => {
  const template = (v: number[]) => ({
    model: 'm',
    version: '2',
    data: embeddingToBytes(l2normalize(Float32Array.from(v))),
  });

  it('is the weighted, normalised mean of the templates, as the first one’s model', () => {
    const t = fuseTemplates([
      { template: template([1, 0]), weight: 1 },
      { template: template([0, 1]), weight: 1 },
    ]);
    expect(t.model).toBe('m');
    expect(t.version).toBe('2');
    const v = bytesToEmbedding(t.data);
    expect(v[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(v[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('needs at least one sighting', () => {
    expect(() => fuseTemplates([])).toThrow(/at least one/);
  });
});

describe('sightingWeight', () => {
  it('is in (0, 1] and never 0, however poor the sighting', () => {
    for (const faceWidth of [0, 5, 12, 20, 30, 48, 80, 400])
      for (const detectorScore of [0, 0.5, 0.7, 0.9, 1]) {
        const w = sightingWeight({ faceWidth, detectorScore });
        expect(w).toBeGreaterThan(0);
        expect(w).toBeLessThanOrEqual(1);
      }
  });

  it('grows with face width and detector confidence', () => {
    const widths = [16, 20, 24, 30, 40].map((faceWidth) => sightingWeight({ faceWidth, detectorScore: 0.95 }));
    expect([...widths].sort((a, b) => a - b)).toEqual(widths);
    expect(widths[0]).toBeLessThan(widths[4]);
    expect(sightingWeight({ faceWidth: 24, detectorScore: 0.75 })).toBeLessThanOrEqual(
      sightingWeight({ faceWidth: 24, detectorScore: 0.99 }),
    );
  });

  it('counts the detector’s confidence in log-odds: 0.99 weighs half of 0.9999, and a bare 0.7 still counts', () => {
    const at = (detectorScore: number) => sightingWeight({ faceWidth: 48, detectorScore });
    expect(at(0.9999)).toBe(1);
    expect(at(0.99)).toBeCloseTo(0.5, 6);
    expect(at(0.9)).toBeCloseTo(0.25, 6);
    expect(at(0.7)).toBeCloseTo(0.25, 6);
    expect(at(1)).toBe(1);
  });

  it('weighs a 22 px face about a third of a 48 px one (mixed tracks: beats the plain mean)', () => {
    const ratio =
      sightingWeight({ faceWidth: 22, detectorScore: 0.9999 }) /
      sightingWeight({ faceWidth: 48, detectorScore: 0.9999 });
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(0.45);
  });
});

describe('cosine', () => {
  it('is the dot product of two normalised embeddings', () => {
    expect(cosine(Float32Array.from([0.6, 0.8]), Float32Array.from([0.8, 0.6]))).toBeCloseTo(0.96, 6);
    expect(cosine(Float32Array.from([1, 0]), Float32Array.from([-1, 0]))).toBe(-1);
  });
});
