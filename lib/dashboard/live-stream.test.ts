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

  it('sends the review queue when it changes, and only then; ends with `end` when the check gives a reason', async () => {
    const face = (id: string) => ({
      unknownId: id,
      seenAt: '2026-12-07T09:00:00.000Z',
      reviewed: false,
      studentId: null,
      kind: 'unknown' as const,
      matchedStudentId: null,
      livenessScore: null,
      cameraName: null,
    });
    let queue = [face('a')];
    let reason: 'session_ended' | null = null;
    let closed = 0;
    const stream = liveAttendanceStream({
      poll: async () => ({ rows: [], count: 0 }),
      snapshot: async () => [],
      unknown: async () => queue,
      check: async () => reason,
      checkMs: 1,
      signal: new AbortController().signal,
      intervalMs: 5,
      onClose: () => closed++,
    });
    const text = new Response(stream).text();
    await new Promise((r) => setTimeout(r, 40));
    queue = [face('b'), face('a')];
    await new Promise((r) => setTimeout(r, 40));
    reason = 'session_ended';
    const body = await text;
    const unknown = [...body.matchAll(/event: unknown\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as unknown[]);
    expect(unknown).toEqual([[face('a')], [face('b'), face('a')]]);
    expect(body.trimEnd().endsWith('event: end\ndata: {"reason":"session_ended"}')).toBe(true);
    expect(closed).toBe(1);
  });
});
