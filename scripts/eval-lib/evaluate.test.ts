import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadDataset, summarize, thresholdAtFar, type ProbeResult } from './evaluate';

describe('thresholdAtFar', () => {
  const above = (scores: number[], t: number) => scores.filter((s) => s > t).length;

  it('lets at most ⌊far·S⌋ strangers strictly above the threshold, and no lower threshold would', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const S of [1, 7, 100, 999, 1000, 2500]) {
      // rounded scores so that ties happen
      const scores = Array.from({ length: S }, () => Math.round(rand() * 50) / 50);
      for (const far of [0, 0.001, 0.01, 0.1, 0.5]) {
        const t = thresholdAtFar(scores, S, far);
        const allowed = Math.floor(far * S);
        expect(above(scores, t), `S=${S} far=${far}`).toBeLessThanOrEqual(allowed);
        // the threshold is a stranger's score: accepting that score too would exceed the budget
        expect(scores).toContain(t);
        expect(scores.filter((s) => s >= t).length).toBeGreaterThan(allowed);
      }
    }
  });

  it('picks the (⌊far·S⌋+1)-th highest score', () => {
    const scores = [0.1, 0.9, 0.5, 0.7, 0.3];
    expect(thresholdAtFar(scores, 5, 0)).toBe(0.9);
    expect(thresholdAtFar(scores, 5, 0.2)).toBe(0.7);
    expect(thresholdAtFar(scores, 5, 0.39)).toBe(0.7);
    expect(thresholdAtFar(scores, 5, 0.4)).toBe(0.5);
    expect(thresholdAtFar(scores, 5, 0.8)).toBe(0.1);
    expect(thresholdAtFar(scores, 1000, 0.001)).toBe(0.7);
  });

  it('counts strangers without a face in S: when the budget covers every scored stranger, the threshold sits just below the lowest', () => {
    const t = thresholdAtFar([0.8, 0.2], 200, 0.01);
    expect(t).toBeLessThan(0.2);
    expect(t).toBeGreaterThan(0.19);
    expect(Number.isFinite(t)).toBe(true);
    expect(thresholdAtFar([0.8, 0.2], 100, 0.01)).toBe(0.2);
    expect(thresholdAtFar([], 10, 0)).toBe(0);
  });

  it('does not reorder the caller’s array', () => {
    const scores = [0.2, 0.9, 0.4];
    thresholdAtFar(scores, 3, 0.4);
    expect(scores).toEqual([0.2, 0.9, 0.4]);
  });
});

describe('summarize', () => {
  const meta = { dataset: '/data/class', matcher: 'embedding', model: 'm@1', enroll: 3, identities: 2, threshold: 0.5 };
  const g = (truth: string, identity: string | null, score: number, ms: number): ProbeResult => ({
    truth,
    best: identity ? { identity, score } : null,
    ms,
  });
  const s = (score: number | null, ms: number): ProbeResult => ({
    truth: null,
    best: score === null ? null : { identity: 'ada', score },
    ms,
  });
  const results: ProbeResult[] = [
    g('ada', 'ada', 0.8, 1), // right and accepted
    g('ada', 'ada', 0.4, 2), // right (rank-1) but below the threshold
    g('bob', 'ada', 0.7, 3), // wrong identity over the threshold
    g('bob', 'ada', 0.3, 4), // wrong identity, rejected
    g('bob', null, 0, 5), // no face
    s(0.6, 6),
    s(0.2, 7),
    s(null, 8), // stranger without a face
    s(0.55, 9),
  ];

  it('reports the protocol’s figures for a handmade list', () => {
    const r = summarize(results, meta);
    expect(r).toMatchObject({
      dataset: '/data/class',
      matcher: 'embedding',
      model: 'm@1',
      enroll_per_identity: 3,
      identities: 2,
      genuine_probes: 5,
      stranger_probes: 4,
      detection_failures: 2,
      rank1: 2 / 5,
      operating: { threshold: 0.5, genuine_accept: 1 / 5, false_accept: 2 / 4, wrong_identity: 1 / 5 },
      ms_per_probe: { p50: 5, p95: 9 },
    });
    // ⌊0.001·4⌋ = ⌊0.01·4⌋ = 0 strangers may pass: the threshold is the best stranger score
    expect(r.far_0_1pct).toEqual({ threshold: 0.6, genuine_accept: 1 / 5 });
    expect(r.far_1pct).toEqual({ threshold: 0.6, genuine_accept: 1 / 5 });
    expect(r.machine).toMatch(/cores.*Node v\d+/);
    expect(Object.keys(r).sort()).toEqual(
      [
        'dataset',
        'matcher',
        'model',
        'enroll_per_identity',
        'identities',
        'genuine_probes',
        'stranger_probes',
        'detection_failures',
        'rank1',
        'far_0_1pct',
        'far_1pct',
        'operating',
        'ms_per_probe',
        'machine',
        // added after the first contract; older readers ignore them
        'highest_stranger',
        'probe_face_px',
        'fuse',
        'sightings_without_face',
      ].sort(),
    );
    expect(r).toMatchObject({ highest_stranger: 0.6, probe_face_px: null, fuse: null, sightings_without_face: null });
  });

  it('with --fuse: counts the sightings without a face and reports the face widths the probes were matched on', () => {
    const fused: ProbeResult[] = [
      { ...g('ada', 'ada', 0.8, 10), sightings: 4, faceWidths: [20, 22, 24, 22] },
      { ...g('bob', 'bob', 0.6, 12), sightings: 4, faceWidths: [21] }, // one of four sightings had a face
      { ...g('bob', null, 0, 9), sightings: 4, faceWidths: [] }, // none: a detection failure
      { ...s(0.3, 11), sightings: 4, faceWidths: [23, 25, 19, 20] },
    ];
    const r = summarize(fused, { ...meta, fuse: 4 });
    expect(r).toMatchObject({ fuse: 4, sightings_without_face: 3 + 4, detection_failures: 1, highest_stranger: 0.3 });
    expect(r.probe_face_px).toEqual({ p10: 19, p50: 22, p90: 25 });
  });

  it('without strangers, the FAR points fall back to the operating threshold and nothing is falsely accepted', () => {
    const r = summarize(
      results.filter((x) => x.truth !== null),
      meta,
    );
    expect(r.stranger_probes).toBe(0);
    expect(r.far_1pct).toEqual({ threshold: 0.5, genuine_accept: 1 / 5 });
    expect(r.operating.false_accept).toBe(0);
    expect(r.detection_failures).toBe(1);
    expect(r.highest_stranger).toBeNull();
  });

  it('fused probes are held to their own bar at the operating point (the camera’s fused-template bar)', () => {
    const fused: ProbeResult[] = [
      { ...g('ada', 'ada', 0.58, 1), bar: 0.6 }, // small faces: 0.58 does not clear 0.60
      { ...g('bob', 'bob', 0.58, 1), bar: 0.5 }, // larger faces: it does
      { ...s(0.56, 1), bar: 0.6 }, // a small-face stranger under its bar
      { ...s(0.52, 1), bar: 0.5 }, // a larger-face stranger over it
    ];
    const r = summarize(fused, meta);
    expect(r.operating).toMatchObject({ threshold: 0.5, genuine_accept: 0.5, false_accept: 0.5, fused_bars: true });
  });

  it('an empty run gives zeros, not NaN', () => {
    const r = summarize([], meta);
    expect([r.rank1, r.operating.genuine_accept, r.operating.false_accept, r.ms_per_probe.p50]).toEqual([0, 0, 0, 0]);
  });
});

describe('loadDataset', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'eval-dataset-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  async function files(dir: string, names: string[]): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (const n of names) await writeFile(path.join(dir, n), '');
  }

  async function datasetError(p: Promise<unknown>): Promise<DatasetError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatasetError);
    return err as DatasetError;
  }

  it('follows symbolic links to person folders and sorts numbered files as numbers', async () => {
    const dir = path.join(tmp, 'linked');
    await files(path.join(tmp, 'elsewhere', 'Ada'), ['10.png', '2.png', '1.png', '3.png']);
    await files(path.join(dir, 'known', 'Bob'), ['a.jpg', 'b.jpg']);
    await mkdir(path.join(dir, 'strangers'), { recursive: true });
    await symlink(path.join(tmp, 'elsewhere', 'Ada'), path.join(dir, 'known', 'Ada'));
    await symlink(path.join(tmp, 'elsewhere', 'Ada'), path.join(dir, 'strangers', 'Eve'));
    const ds = await loadDataset(dir, 3);
    expect(ds.known.map((k) => k.name)).toEqual(['Ada', 'Bob']);
    expect(ds.known[0].enroll.map((f) => path.basename(f))).toEqual(['1.png', '2.png', '3.png']);
    expect(ds.known[0].probes.map((f) => path.basename(f))).toEqual(['10.png']);
    expect(ds.strangers).toHaveLength(4);
  });

  it('rejects a missing folder', async () => {
    const missing = path.join(tmp, 'nope');
    const err = await datasetError(loadDataset(missing, 3));
    expect(err.message).toContain('not found');
    expect(err.message).toContain(missing);
  });

  it('rejects a folder without known/, naming the expected layout', async () => {
    const dir = path.join(tmp, 'flat');
    await files(dir, ['a.jpg', 'b.jpg']);
    const err = await datasetError(loadDataset(dir, 3));
    expect(err.message).toContain('no known/ folder');
    expect(err.message).toContain(`${dir}/known/<Name>/*.jpg`);
    expect(err.message).toContain('strangers/<Name>');
  });

  it('rejects known/ without any person folder holding photos', async () => {
    const dir = path.join(tmp, 'empty-known');
    await files(path.join(dir, 'known', 'ada'), ['notes.txt']);
    const err = await datasetError(loadDataset(dir, 3));
    expect(err.message).toMatch(/no person folders/);
  });

  it('rejects an enroll count that is not a whole number ≥ 1', async () => {
    const dir = path.join(tmp, 'flat');
    await datasetError(loadDataset(dir, 0));
    await datasetError(loadDataset(dir, 1.5));
  });

  it('sorts people and photos by name, enrolls the first `enroll` photos and probes the rest', async () => {
    const dir = path.join(tmp, 'class');
    await files(path.join(dir, 'known', 'Bob'), ['b.jpg', 'a.JPG', 'c.png', 'd.webp', 'notes.txt', 'e.gif', 'f.jpeg']);
    await files(path.join(dir, 'known', 'Ada'), ['2.jpg', '1.jpg']);
    await files(path.join(dir, 'known', 'Empty'), []);
    await files(path.join(dir, 'strangers', 'Zed'), ['z1.jpg']);
    await files(path.join(dir, 'strangers', 'Yan'), ['y2.png', 'y1.jpg']);
    await writeFile(path.join(dir, 'known', 'stray.jpg'), '');

    const ds = await loadDataset(dir, 2);
    const rel = (p: string) => path.relative(dir, p);
    expect(ds.dir).toBe(dir);
    expect(ds.known.map((k) => k.name)).toEqual(['Ada', 'Bob']);
    expect(ds.known[0].enroll.map(rel)).toEqual(['known/Ada/1.jpg', 'known/Ada/2.jpg']);
    expect(ds.known[0].probes).toEqual([]);
    expect(ds.known[1].enroll.map(rel)).toEqual(['known/Bob/a.JPG', 'known/Bob/b.jpg']);
    expect(ds.known[1].probes.map(rel)).toEqual(['known/Bob/c.png', 'known/Bob/d.webp', 'known/Bob/f.jpeg']);
    expect(ds.strangers.map(rel)).toEqual(['strangers/Yan/y1.jpg', 'strangers/Yan/y2.png', 'strangers/Zed/z1.jpg']);
  });

  it('works without strangers/', async () => {
    const dir = path.join(tmp, 'no-strangers');
    await files(path.join(dir, 'known', 'Ada'), ['1.jpg', '2.jpg', '3.jpg', '4.jpg']);
    const ds = await loadDataset(dir, 3);
    expect(ds.strangers).toEqual([]);
    expect(ds.known[0].probes.map((p) => path.basename(p))).toEqual(['4.jpg']);
  });

  it('takes a plain folder of person folders (the ORL layout) as all known, without strangers', async () => {
    const dir = path.join(tmp, 'orl-like');
    await files(path.join(dir, 's1'), ['1.png', '2.png', '3.png', '4.png']);
    await files(path.join(dir, 's2'), ['1.png', '2.png', '3.png']);
    const ds = await loadDataset(dir, 3);
    expect(ds.known.map((k) => k.name)).toEqual(['s1', 's2']);
    expect(ds.known[0].probes.map((p) => path.relative(dir, p))).toEqual(['s1/4.png']);
    expect(ds.strangers).toEqual([]);
  });
});
