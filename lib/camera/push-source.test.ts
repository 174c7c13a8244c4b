import { describe, expect, it } from 'vitest';
import { PushSource } from './push-source';
import type { Frame } from './types';

const frame = (n: number): Frame => ({ cameraId: 'cam', jpeg: Buffer.from([n]), receivedAt: n });

describe('PushSource', () => {
  it('hands pushed frames to the running connection only, and none after detach or abort', async () => {
    const push = new PushSource();
    expect(push.push(frame(0))).toBe(false); // no connection yet
    const got: Frame[] = [];
    const controller = new AbortController();
    const run = push.source({ signal: controller.signal, onFrame: (f) => got.push(f) });
    expect(push.connected).toBe(true);
    expect(push.push(frame(1))).toBe(true);
    push.detach();
    expect(push.push(frame(2))).toBe(false);
    controller.abort();
    expect(await run).toEqual({ status: 'aborted', frames: 1 });
    expect(got.map((f) => f.receivedAt)).toEqual([1]);
  });

  it('a new run takes over; the old run ending does not disconnect it', async () => {
    const push = new PushSource();
    const old = new AbortController();
    const first = push.source({ signal: old.signal, onFrame: () => {} });
    const got: Frame[] = [];
    const second = push.source({ signal: new AbortController().signal, onFrame: (f) => got.push(f) });
    old.abort();
    await first;
    expect(push.push(frame(5))).toBe(true);
    expect(got).toHaveLength(1);
    void second;
  });
});
