import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frame-queue';

describe('FrameQueue', () => {
  it('hands items out in order', async () => {
    const queue = new FrameQueue<number>(3);
    queue.push(1);
    queue.push(2);
    expect(await queue.take()).toBe(1);
    expect(await queue.take()).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('drops the oldest item when full, counts it, and never grows', () => {
    const queue = new FrameQueue<number>(3);
    for (let i = 1; i <= 10; i++) queue.push(i);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(7);
    expect(queue.pushed).toBe(10);
    expect([queue.peek(), queue.size]).toEqual([8, 3]); // the oldest kept, not taken
    expect([queue.tryTake(), queue.tryTake(), queue.tryTake(), queue.tryTake()]).toEqual([8, 9, 10, undefined]);
  });

  it('wakes a waiting taker on push without queueing the item', async () => {
    const queue = new FrameQueue<string>(1);
    const taken = queue.take();
    queue.push('a');
    expect(await taken).toBe('a');
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(0);
  });

  it('serves several waiting takers first come, first served', async () => {
    const queue = new FrameQueue<number>(2);
    const first = queue.take();
    const second = queue.take();
    queue.push(1);
    queue.push(2);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
  });

  it('resolves null when the signal aborts, and the aborted taker gets no later item', async () => {
    const queue = new FrameQueue<number>(2);
    const controller = new AbortController();
    const taken = queue.take(controller.signal);
    controller.abort();
    expect(await taken).toBeNull();
    queue.push(5);
    expect(queue.size).toBe(1);
    expect(await queue.take(AbortSignal.abort())).toBe(5);
    expect(await queue.take(AbortSignal.abort())).toBeNull();
  });

  it('close lets waiting and later takers finish once drained', async () => {
    const queue = new FrameQueue<number>(2);
    const waiting = queue.take();
    queue.close();
    expect(await waiting).toBeNull();
    expect(queue.push(1)).toBe(false);

    const draining = new FrameQueue<number>(2);
    draining.push(1);
    draining.close();
    const seen: number[] = [];
    for await (const item of draining.drain()) seen.push(item);
    expect(seen).toEqual([1]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new FrameQueue(0)).toThrow(RangeError);
    expect(() => new FrameQueue(1.5)).toThrow(RangeError);
  });
});
