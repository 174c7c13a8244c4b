import { describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/log';
import { GalleryWatch } from './gallery-watch';

describe('GalleryWatch', () => {
  it('invalidates a course whose enrolment or templates changed, not on first sight and not when unchanged', async () => {
    const stamps = new Map([
      ['c1', '3:6:t1'],
      ['c2', '1:2:t0'],
    ]);
    const invalidated: string[] = [];
    const watch = new GalleryWatch({
      stamps: async (ids) => new Map(ids.map((id) => [id, stamps.get(id) ?? '0:0:'])),
      invalidate: (id) => invalidated.push(id),
      log: createLogger('gallery-watch-test'),
    });
    expect(await watch.check(['c1', 'c2'])).toEqual([]);
    expect(await watch.check(['c1', 'c2'])).toEqual([]);
    stamps.set('c1', '4:8:t2'); // a student enrolled with two photos
    expect(await watch.check(['c1', 'c2'])).toEqual(['c1']);
    expect(invalidated).toEqual(['c1']);
    expect(await watch.check(['c1', 'c2'])).toEqual([]);
  });
});
