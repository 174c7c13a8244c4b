import { beforeAll, describe, expect, it } from 'vitest';
import type { FaceTemplate, RgbImage } from '../types';
import { KeypointEmbedder, parseKeypointTemplate } from './keypoint-embedder';
import { KeypointMatcher } from './keypoint-matcher';
import { loadOpenCv, type OpenCv } from './opencv';
import { HAVE_ORL, loadOrl, mean, ORL_FACE, ORL_MISSING } from './test-helpers';
import { skipUnlessCi } from '@/test/helpers/needs';

skipUnlessCi(!HAVE_ORL, ORL_MISSING);

/** A synthetic face-sized image: smooth gradient plus blobs, enough texture for AKAZE. */
function syntheticImage(seed: number): RgbImage {
  const w = 92,
    h = 112,
    data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v =
        128 + 60 * Math.sin((x + seed) / 5) * Math.cos((y - seed) / 7) + 40 * Math.sin((x * y + seed * 13) / 97);
      data.set([v, v, v], (y * w + x) * 3);
    }
  }
  return { data, width: w, height: h };
}

describe('loadOpenCv', () => {
  it('loads once, has AKAZE/BFMatcher/findHomography (no SIFT) and leaves no process handlers behind', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const p1 = loadOpenCv();
    const p2 = loadOpenCv();
    expect(p1).toBe(p2);
    const cv = await p1;
    expect(await loadOpenCv()).toBe(cv);
    for (const name of ['AKAZE', 'BFMatcher', 'findHomography', 'CLAHE'] as const)
      expect(typeof cv[name]).toBe('function');
    expect((cv as unknown as Record<string, unknown>).SIFT).toBeUndefined();
    expect((cv as unknown as Record<string, unknown>).then).toBeUndefined();
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(before);
  });
});

describe('KeypointMatcher (synthetic)', () => {
  let matcher: KeypointMatcher;
  let t1: FaceTemplate;
  beforeAll(async () => {
    matcher = await KeypointMatcher.create();
    t1 = await new KeypointEmbedder().extract(syntheticImage(1), ORL_FACE);
  });

  it('reports MIN_MATCH_COUNT semantics through threshold', async () => {
    expect(matcher.kind).toBe('keypoints');
    expect(matcher.model).toBe('keypoints-akaze');
    expect(matcher.threshold).toBe(9); // "strictly above 9" = at least 10 inliers
  });

  it('returns unknown/empty-gallery for an empty gallery', async () => {
    expect(await matcher.identify(t1)).toEqual({
      status: 'unknown',
      reason: 'empty-gallery',
      bestIdentity: null,
      score: null,
      runnerUp: null,
    });
    expect(await matcher.rank(t1, 5)).toEqual([]);
  });

  it('matches an identical template with every keypoint and supports removeIdentity/dispose', async () => {
    const m = await KeypointMatcher.create();
    const n = parseKeypointTemplate(t1.data).count;
    expect(n).toBeGreaterThan(20);
    m.add('a', t1);
    m.add('a', t1);
    expect(m.size).toEqual({ identities: 1, templates: 2 });
    const r = await m.identify(t1);
    expect(r).toMatchObject({ status: 'match', identity: 'a', runnerUp: null });
    expect(r.score).toBeGreaterThanOrEqual(n * 0.9);
    m.add('b', t1);
    expect(await m.identify(t1)).toMatchObject({ status: 'unknown', reason: 'ambiguous' });
    m.removeIdentity('a');
    expect(m.size).toEqual({ identities: 1, templates: 1 });
    expect((await m.rank(t1, 5)).map((x) => x.identity)).toEqual(['b']);
    m.dispose();
    m.dispose();
    await expect(m.identify(t1)).rejects.toThrow(/disposed/);
  });

  it('rejects templates of another model or malformed bytes', async () => {
    expect(() => matcher.add('x', { ...t1, model: 'arcface-fr_feature' })).toThrow(
      /arcface-fr_feature.*keypoints-akaze/,
    );
    expect(() => matcher.add('x', { ...t1, data: t1.data.subarray(0, 20) })).toThrow(/Malformed keypoint template/);
    expect(matcher.size).toEqual({ identities: 0, templates: 0 });
  });

  it('handles a featureless face (0 keypoints) without throwing', async () => {
    const flat: RgbImage = { data: new Uint8Array(92 * 112 * 3).fill(128), width: 92, height: 112 };
    const t = await new KeypointEmbedder().extract(flat, ORL_FACE);
    expect(parseKeypointTemplate(t.data).count).toBe(0);
    const m = await KeypointMatcher.create();
    m.add('flat', t);
    m.add('textured', t1);
    expect(await m.identify(t)).toMatchObject({ status: 'unknown', reason: 'below-threshold', score: 0 });
    expect(await m.identify(t1)).toMatchObject({ status: 'match', identity: 'textured' });
    m.dispose();
  });
});

describe.skipIf(!HAVE_ORL)(`keypoint baseline on ORL faces${HAVE_ORL ? '' : ` — ${ORL_MISSING}`}`, () => {
  const SUBJECTS = 10;
  const PHOTOS = 10;
  const akaze = new KeypointEmbedder();
  const templates: FaceTemplate[][] = []; // [subject-1][photo-1]
  const images: RgbImage[][] = [];
  let cv: OpenCv;

  beforeAll(async () => {
    cv = await loadOpenCv();
    for (let s = 1; s <= SUBJECTS; s++) {
      const imgs: RgbImage[] = [],
        tpls: FaceTemplate[] = [];
      for (let p = 1; p <= PHOTOS; p++) {
        const img = await loadOrl(s, p);
        imgs.push(img);
        tpls.push(await akaze.extract(img, ORL_FACE));
      }
      images.push(imgs);
      templates.push(tpls);
    }
  }, 60_000);

  it('finds a usable number of AKAZE keypoints per face', async () => {
    const counts = templates.flat().map((t) => parseKeypointTemplate(t.data).count);
    expect(Math.min(...counts)).toBeGreaterThan(20);
    expect(mean(counts)).toBeGreaterThan(50);
  });

  it('same-person pairs have more RANSAC inliers than different-person pairs', async () => {
    const m = await KeypointMatcher.create();
    const same: number[] = [],
      diff: number[] = [];
    for (let s = 0; s < SUBJECTS; s++) {
      for (const p of [1, 2]) same.push(m.compare(templates[s][p], templates[s][0]).inliers);
      for (let o = 0; o < SUBJECTS; o++) if (o !== s) diff.push(m.compare(templates[o][0], templates[s][0]).inliers);
    }
    m.dispose();
    // Measured (AKAZE defaults, 10 subjects): same ≈ 30, different ≈ 3.
    expect(mean(same)).toBeGreaterThan(2 * mean(diff) + 5);
    expect(same.filter((x) => x >= 10).length / same.length).toBeGreaterThanOrEqual(0.6);
    expect(diff.filter((x) => x >= 10).length / diff.length).toBeLessThanOrEqual(0.15);
  });

  it('identify() names the right person among 10 enrolled (1 photo each) for most probes', async () => {
    const m = await KeypointMatcher.create();
    for (let s = 0; s < SUBJECTS; s++) m.add(`s${s + 1}`, templates[s][0]);
    let correct = 0,
      wrong = 0,
      probes = 0;
    for (let s = 0; s < SUBJECTS; s++) {
      for (let p = 1; p < PHOTOS; p++) {
        const r = await m.identify(templates[s][p]);
        probes++;
        if (r.status === 'match' && r.identity === `s${s + 1}`) correct++;
        else if (r.status === 'match') wrong++;
      }
    }
    m.dispose();
    // Measured ≈ 0.77 correct matches; assert with margin.
    expect(correct / probes).toBeGreaterThanOrEqual(0.6);
    expect(wrong / probes).toBeLessThanOrEqual(0.1);
  });

  it('does not leak WASM memory over 200 extract + identify calls', async () => {
    const m = await KeypointMatcher.create();
    for (let s = 0; s < SUBJECTS; s++) for (const p of [0, 1, 2]) m.add(`s${s + 1}`, templates[s][p]);
    const round = async (i: number) => {
      const t = await akaze.extract(images[i % SUBJECTS][3 + (i % 7)], ORL_FACE);
      await m.identify(t);
    };
    // Address of a fresh 4 MB block: it comes off the top of the heap, so it only moves up when
    // freed memory could not be reused — i.e. when something leaks.
    const top = () => {
      const p = (cv as unknown as { _malloc(n: number): number })._malloc(4 << 20);
      (cv as unknown as { _free(p: number): void })._free(p);
      return p;
    };
    for (let i = 0; i < 20; i++) await round(i); // warm up
    const heap0 = cv.HEAP8.length,
      top0 = top();
    for (let i = 0; i < 200; i++) await round(i);
    const grewBy = top() - top0;
    m.dispose();
    expect(cv.HEAP8.length).toBe(heap0);
    // A leaked 160×160 chip per call alone would move it by ≥ 5 MB.
    expect(grewBy).toBeLessThan(256 * 1024);
  }, 60_000);
});
