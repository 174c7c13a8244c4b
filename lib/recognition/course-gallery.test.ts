import { describe, expect, it, vi } from 'vitest';
import { embeddingToBytes } from '@/lib/face/embedding-bytes';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import { CourseGalleries, identifyInGallery, type CourseGalleryDeps, type GalleryTemplateRow } from './course-gallery';

const vec = (...v: number[]) => Buffer.from(embeddingToBytes(Float32Array.from(v)));

function deps(
  rows: Record<string, GalleryTemplateRow[]>,
  clock = { t: 0 },
): CourseGalleryDeps & { clock: { t: number } } {
  return {
    clock,
    now: () => clock.t,
    refreshMs: 1_000,
    listTemplates: vi.fn(async (courseId: string) => rows[courseId] ?? []),
    createMatcher: async (model, version) => new EmbeddingMatcher({ model, version, threshold: 0.5 }),
  };
}

describe('CourseGalleries', () => {
  it('builds a matcher from the enrolled students of that course only', async () => {
    const d = deps({
      c1: [
        { studentId: 'ann', data: vec(1, 0, 0) },
        { studentId: 'ann', data: vec(0.9, 0.1, 0) },
        { studentId: 'bob', data: vec(0, 1, 0) },
      ],
    });
    const galleries = new CourseGalleries(d);
    const g = await galleries.get('c1', 'm', 'v1');
    expect([...g.students].sort()).toEqual(['ann', 'bob']);
    expect(
      await g.matcher.identify({ model: 'm', version: 'v1', data: embeddingToBytes(Float32Array.from([1, 0.05, 0])) }),
    ).toMatchObject({ status: 'match', identity: 'ann' });
    expect(d.listTemplates).toHaveBeenCalledWith('c1', 'm', 'v1');
    expect((await galleries.get('c2', 'm', 'v1')).students.size).toBe(0);
  });

  it('caches, refreshes after refreshMs while serving the old gallery, and rebuilds on invalidate', async () => {
    const rows: Record<string, GalleryTemplateRow[]> = { c1: [{ studentId: 'ann', data: vec(1, 0) }] };
    const d = deps(rows);
    const galleries = new CourseGalleries(d);
    const first = await galleries.get('c1', 'm', 'v1');
    expect(await galleries.get('c1', 'm', 'v1')).toBe(first);
    expect(d.listTemplates).toHaveBeenCalledTimes(1);
    rows.c1 = [...(rows.c1 ?? []), { studentId: 'bob', data: vec(0, 1) }];
    d.clock.t = 5_000;
    expect(await galleries.get('c1', 'm', 'v1')).toBe(first);
    await new Promise((r) => setTimeout(r, 0));
    expect((await galleries.get('c1', 'm', 'v1')).students.has('bob')).toBe(true);
    galleries.invalidate('c1');
    await galleries.get('c1', 'm', 'v1');
    expect(d.listTemplates).toHaveBeenCalledTimes(3);
  });

  it('keys galleries by model version (templates of other versions never mix)', async () => {
    const d = deps({ c1: [{ studentId: 'ann', data: vec(1, 0) }] });
    const galleries = new CourseGalleries(d);
    const a = await galleries.get('c1', 'm', 'v1');
    const b = await galleries.get('c1', 'm', 'v2');
    expect(a).not.toBe(b);
    expect(b.matcher.version).toBe('v2');
  });

  it('does not cache a failed build', async () => {
    const d = deps({});
    d.listTemplates = vi.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValue([]);
    const galleries = new CourseGalleries(d);
    await expect(galleries.get('c1', 'm', 'v1')).rejects.toThrow('db down');
    await expect(galleries.get('c1', 'm', 'v1')).resolves.toMatchObject({ courseId: 'c1' });
  });

  describe('during a model change (legacy templates)', () => {
    // "new"@2 is the current model; "old"@1 made the templates some students still depend on.
    const rows: Record<string, GalleryTemplateRow[]> = {
      'c1|new|2': [{ studentId: 'ann', data: vec(1, 0, 0) }],
      'c1|old|1': [
        { studentId: 'ann', data: vec(0, 0, 1) },
        { studentId: 'bob', data: vec(0, 1, 0) },
      ],
    };
    const legacyDeps = (): CourseGalleryDeps => ({
      listTemplates: vi.fn(
        async (courseId: string, model: string, version: string) => rows[`${courseId}|${model}|${version}`] ?? [],
      ),
      createMatcher: async (model, version) => new EmbeddingMatcher({ model, version, threshold: 0.5 }),
      legacy: [{ model: 'old', version: '1' }],
    });
    const probe = (model: string, version: string, ...v: number[]) => ({
      model,
      version,
      data: embeddingToBytes(Float32Array.from(v)),
    });

    it('puts only students without a current template in the legacy gallery, and counts them as enrolled', async () => {
      const g = await new CourseGalleries(legacyDeps()).get('c1', 'new', '2');
      expect(g.legacy).toHaveLength(1);
      expect([...g.legacy[0]!.students]).toEqual(['bob']);
      expect(g.legacy[0]!.matcher).toMatchObject({ model: 'old', version: '1' });
      expect([...g.students].sort()).toEqual(['ann', 'bob']);
    });

    it('identifies a legacy student with the probe’s old-model template, and prefers a current match', async () => {
      const g = await new CourseGalleries(legacyDeps()).get('c1', 'new', '2');
      // bob is known only to the old model: the current gallery says unknown, the legacy one knows him.
      expect(await identifyInGallery(g, probe('new', '2', 0, 1, 0), [probe('old', '1', 0, 1, 0.1)])).toMatchObject({
        status: 'match',
        identity: 'bob',
      });
      // Without the old model's template of the probe there is nothing to compare with.
      expect(await identifyInGallery(g, probe('new', '2', 0, 1, 0))).toMatchObject({ status: 'unknown' });
      // ann has a current template: the old one (0,0,1) is not used for her.
      expect(await identifyInGallery(g, probe('new', '2', 1, 0.1, 0), [probe('old', '1', 0, 1, 0)])).toMatchObject({
        status: 'match',
        identity: 'ann',
      });
      expect(await identifyInGallery(g, probe('new', '2', 0, 0, 1), [probe('old', '1', 0, 0, 1)])).toMatchObject({
        status: 'unknown',
      });
    });

    it('asks for legacy embeddings before the first gallery is built, then as long as it has legacy students', async () => {
      const d = legacyDeps();
      const galleries = new CourseGalleries(d);
      expect(galleries.wantsLegacy('c1')).toBe(true);
      await galleries.get('c1', 'new', '2');
      expect(galleries.wantsLegacy('c1')).toBe(true);
      const saved = rows['c1|new|2'];
      rows['c1|new|2'] = [...saved!, { studentId: 'bob', data: vec(0, 1, 0) }];
      try {
        galleries.invalidate('c1');
        await galleries.get('c1', 'new', '2');
        expect(galleries.wantsLegacy('c1')).toBe(false);
      } finally {
        rows['c1|new|2'] = saved!;
      }
      // No legacy embedders configured: never.
      expect(new CourseGalleries({ ...d, legacy: [] }).wantsLegacy('c1')).toBe(false);
    });

    it('has no legacy gallery once every student has a current template', async () => {
      const d = legacyDeps();
      const saved = rows['c1|new|2'];
      rows['c1|new|2'] = [...saved!, { studentId: 'bob', data: vec(0, 1, 0) }];
      try {
        const g = await new CourseGalleries(d).get('c1', 'new', '2');
        expect(g.legacy).toEqual([]);
        expect([...g.students].sort()).toEqual(['ann', 'bob']);
      } finally {
        rows['c1|new|2'] = saved!;
      }
    });
  });
});
