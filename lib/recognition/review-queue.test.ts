import { describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/log';
import { tpl } from '@/test/helpers/processor-fakes';
import type { UnknownTrack } from './frame-pipeline';
import { ReviewQueue } from './review-queue';

const track = (cameraId: string, trackRef: string): UnknownTrack => ({
  cameraId,
  sessionId: 's1',
  jpeg: Buffer.from([0]),
  box: { x: 0, y: 0, width: 40, height: 48 },
  template: tpl(1, 0, 0),
  seenAt: new Date(0),
  trackRef,
});

describe('ReviewQueue', () => {
  it('queues faces of leased cameras only, and withdraws the entry of a track recognised later', async () => {
    const saved: string[] = [];
    const withdrawn: string[] = [];
    const reviews = new ReviewQueue({
      store: {
        save: async (t) => (saved.push(t.trackRef!), `u-${t.trackRef}`),
        withdraw: async (id) => (withdrawn.push(id), true),
      },
      holds: (cameraId) => cameraId === 'mine',
      log: createLogger('test'),
    });
    reviews.add(track('mine', 's1:1'));
    reviews.add(track('mine', 's1:2'));
    reviews.add(track('gone', 's1:3'));
    reviews.withdraw({ cameraId: 'mine', name: 'front' }, ['s1:2', 's1:9'], 'ann');
    await reviews.settle(1_000);
    expect(saved).toEqual(['s1:1', 's1:2']);
    expect(withdrawn).toEqual(['u-s1:2']);
  });
});
