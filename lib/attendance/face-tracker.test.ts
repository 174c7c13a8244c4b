import { describe, expect, it } from 'vitest';
import { FaceTracker, iou, type Box } from './face-tracker';

const box = (x: number, y: number, size = 60): Box => ({ x, y, width: size, height: size });

describe('iou', () => {
  it('is 1 for the same box, 0 for disjoint boxes, and symmetric', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1);
    expect(iou(box(0, 0), box(100, 0))).toBe(0);
    expect(iou(box(0, 0), box(30, 0))).toBeCloseTo(iou(box(30, 0), box(0, 0)));
    expect(iou(box(0, 0), box(30, 0))).toBeCloseTo(1800 / 5400);
  });
});

describe('FaceTracker', () => {
  it('keeps one id per face while faces drift a little', () => {
    const tracker = new FaceTracker();
    const first = tracker.update([box(10, 10), box(200, 40, 80)], 0);
    expect(first.started).toHaveLength(2);
    let ids = first.trackIds;
    for (let f = 1; f < 20; f++) {
      const u = tracker.update([box(10 + 3 * Math.sin(f), 10 + f * 0.5), box(200 - f, 40, 80)], f);
      expect(u.trackIds).toEqual(ids);
      expect(u.started).toEqual([]);
      ids = u.trackIds;
    }
    expect(tracker.tracks.map((t) => t.hits)).toEqual([20, 20]);
  });

  it('follows boxes in any order within a frame', () => {
    const tracker = new FaceTracker();
    const [a, b] = tracker.update([box(0, 0), box(300, 0)], 0).trackIds;
    expect(tracker.update([box(302, 1), box(2, 1)], 1).trackIds).toEqual([b, a]);
  });

  it('keeps ids of two faces that cross each other (velocity prediction)', () => {
    const tracker = new FaceTracker({ minIoU: 0.2 });
    // A moves right, B moves left, on nearly the same row; they overlap fully around frame 10.
    const at = (f: number) => [box(0 + 20 * f, 100), box(400 - 20 * f, 104)];
    const [a, b] = tracker.update(at(0), 0).trackIds;
    for (let f = 1; f <= 20; f++) {
      const { trackIds, started } = tracker.update(at(f), f);
      expect(started).toEqual([]);
      expect(trackIds).toEqual([a, b]);
    }
  });

  it('bridges a few missed frames, then ends the track after maxAge', () => {
    const tracker = new FaceTracker({ maxAge: 2 });
    const [id] = tracker.update([box(50, 50)], 0).trackIds;
    expect(tracker.update([], 1).ended).toEqual([]);
    expect(tracker.update([box(51, 50)], 2).trackIds).toEqual([id]);
    tracker.update([], 3);
    tracker.update([], 4);
    const gone = tracker.update([], 5).ended;
    expect(gone.map((t) => t.id)).toEqual([id]);
    expect(tracker.update([box(51, 50)], 6).trackIds[0]).not.toBe(id);
  });

  it('starts a new track for a face that appears far from every track', () => {
    const tracker = new FaceTracker();
    tracker.update([box(0, 0)], 0);
    const u = tracker.update([box(1, 0), box(250, 250)], 1);
    expect(u.started).toEqual([u.trackIds[1]]);
    expect(tracker.tracks).toHaveLength(2);
  });

  it('never gives two boxes of one frame the same track', () => {
    const tracker = new FaceTracker({ minIoU: 0.1 });
    tracker.update([box(0, 0)], 0);
    const { trackIds } = tracker.update([box(5, 0), box(10, 0)], 1);
    expect(new Set(trackIds).size).toBe(2);
  });

  it('clear() ends every track', () => {
    const tracker = new FaceTracker();
    tracker.update([box(0, 0), box(100, 100)], 0);
    expect(tracker.clear()).toHaveLength(2);
    expect(tracker.tracks).toEqual([]);
  });
});
