import { describe, expect, it } from 'vitest';
import { fairShare } from './fair-share';

describe('fairShare', () => {
  const counts = (o: Record<string, number>) => new Map(Object.entries(o));
  it('spreads cameras so that counts differ by at most one, extras to those already holding most', () => {
    const live = ['a', 'b', 'c'].map((workerId) => ({ workerId, capacity: 100 }));
    const share = (id: string, c: Record<string, number>, cameras: number) =>
      fairShare({ workerId: id, capacity: 100 }, live, counts(c), cameras);
    const ids = ['a', 'b', 'c'];
    expect(ids.map((id) => share(id, {}, 6))).toEqual([2, 2, 2]);
    expect(ids.map((id) => share(id, { c: 3, a: 2, b: 2 }, 7))).toEqual([2, 2, 3]);
    expect(ids.map((id) => share(id, {}, 7))).toEqual([3, 2, 2]);
    expect(fairShare({ workerId: 'a', capacity: 1 }, live, counts({}), 9)).toBe(1);
    // A worker not yet in the live list (its first heartbeat) counts itself.
    expect(fairShare({ workerId: 'd', capacity: 100 }, live, counts({ a: 2, b: 2, c: 2 }), 6)).toBe(1);
  });

  it('a worker whose capacity is below its even part takes its capacity, and the others take the rest', () => {
    // b heartbeats capacity 2 (saturated with the 2 it holds): 10 cameras go 4 / 2 / 4, every one served.
    const live = [
      { workerId: 'a', capacity: 100 },
      { workerId: 'b', capacity: 2 },
      { workerId: 'c', capacity: 100 },
    ];
    const held = counts({ a: 3, b: 2, c: 3 });
    const share = (id: string) =>
      fairShare({ workerId: id, capacity: live.find((w) => w.workerId === id)!.capacity }, live, held, 10);
    expect(['a', 'b', 'c'].map(share)).toEqual([4, 2, 4]);
    // Two below their even part: the one with room takes everything the others cannot.
    const two = [
      { workerId: 'a', capacity: 1 },
      { workerId: 'b', capacity: 2 },
      { workerId: 'c', capacity: 100 },
    ];
    expect(fairShare({ workerId: 'c', capacity: 100 }, two, counts({}), 9)).toBe(6);
  });

  it('cameras beyond every worker’s capacity are still spread, up to each worker’s hard cap', () => {
    const live = [
      { workerId: 'a', capacity: 3 },
      { workerId: 'b', capacity: 3 },
    ];
    // 8 cameras, room for 6: the 2 left over go one each, so nobody runs a camera the others could not take.
    expect(fairShare({ workerId: 'a', capacity: 3, maxCapacity: 100 }, live, counts({ a: 3, b: 3 }), 8)).toBe(4);
    expect(fairShare({ workerId: 'b', capacity: 3, maxCapacity: 100 }, live, counts({ a: 3, b: 3 }), 8)).toBe(4);
    expect(fairShare({ workerId: 'a', capacity: 3, maxCapacity: 3 }, live, counts({ a: 3, b: 3 }), 8)).toBe(3);
  });
});
