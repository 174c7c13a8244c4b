import { describe, expect, it } from 'vitest';
import { StreamSlots, liveAttendanceStream } from './live-stream';

describe('live session streams', () => {
  it('caps the streams one user has open, and frees a slot when one closes', () => {
    const slots = new StreamSlots(2);
    const a = slots.acquire('u1')!;
    const b = slots.acquire('u1')!;
    expect(slots.acquire('u1')).toBeNull();
    expect(slots.acquire('u2')).not.toBeNull();
    a();
    a(); // releasing twice frees one slot only
    expect(slots.acquire('u1')).not.toBeNull();
    expect(slots.acquire('u1')).toBeNull();
    b();
  });

  it('tells when the stream ends (client gone), so its slot is released', async () => {
    const controller = new AbortController();
    let closed = 0;
    const stream = liveAttendanceStream({
      poll: async () => ({ rows: [], count: 0 }),
      snapshot: async () => [],
      signal: controller.signal,
      intervalMs: 5,
      onClose: () => closed++,
    });
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(1);
    await reader.cancel().catch(() => undefined);
    expect(closed).toBe(1);
  });
});
