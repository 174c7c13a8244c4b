/**
 * GET /api/sessions/:id/events: the stream carries the review queue (a new unknown face, a withdrawn
 * one) and ends itself when its user is disabled or signed out everywhere, or when its session ends.
 */
import { describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { stopSessionNow } from '@/lib/data/session-admin';
import { insertUnknownFace, withdrawUnreviewedUnknownFace } from '@/lib/data/unknown-faces';
import { disableUser, resetPassword } from '@/lib/data/users';
import { makeCourse, makeSession, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface SseEvent {
  name: string;
  data: unknown;
}

/** Opens the stream as a new lecturer of a new running session; collects its events as they come. */
async function openStream(endsAt?: Date) {
  const lecturer = await makeUser({ role: 'lecturer' });
  const session = await makeSession({
    courseId: (await makeCourse({ lecturerId: lecturer.userId })).courseId,
    status: 'open',
    ...(endsAt ? { endsAt } : {}),
  });
  const { GET } = (await import('@/app/api/sessions/[sessionId]/events/route')) as unknown as { GET: Handler };
  signedIn = { id: lecturer.userId, role: 'lecturer', email: lecturer.email };
  const controller = new AbortController();
  const res = await GET(
    new Request(`http://test/api/sessions/${session.sessionId}/events`, { signal: controller.signal }),
    { params: Promise.resolve({ sessionId: session.sessionId }) },
  );
  expect(res.status).toBe(200);
  const events: SseEvent[] = [];
  let done = false;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const reading = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data !== undefined) events.push({ name, data: JSON.parse(data) });
      }
    }
    done = true;
  })();
  const waitFor = async (what: string, ok: () => boolean, ms = 6_000) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    lecturer,
    session,
    events,
    isDone: () => done,
    waitFor,
    close: async () => {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      await reading.catch(() => undefined);
    },
  };
}

const lastUnknown = (events: SseEvent[]) =>
  (events.filter((e) => e.name === 'unknown').at(-1)?.data ?? null) as { unknownId: string }[] | null;

describe('live session stream', () => {
  it('sends a new unknown face, and its withdrawal, without a reload; a running session stream stays open', async () => {
    const s = await openStream();
    await s.waitFor('the first review queue', () => lastUnknown(s.events)?.length === 0);
    const unknownId = await insertUnknownFace({
      sessionId: s.session.sessionId,
      cameraId: null,
      storageKey: `unknown-faces/test/${crypto.randomUUID()}.jpg`,
      embedding: Buffer.alloc(16),
      model: 'test',
      seenAt: new Date(),
    });
    await s.waitFor('the new unknown face', () => lastUnknown(s.events)?.[0]?.unknownId === unknownId);
    expect(JSON.stringify(lastUnknown(s.events))).not.toMatch(/storageKey|unknown-faces\/test/);
    expect(await withdrawUnreviewedUnknownFace(unknownId)).not.toBeNull();
    await s.waitFor('the withdrawal', () => lastUnknown(s.events)?.length === 0);
    // Past a few end checks, nothing ended this stream.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(s.isDone()).toBe(false);
    expect(s.events.some((e) => e.name === 'end')).toBe(false);
    await s.close();
  });

  it('ends with `end: signed_out` once the user is disabled', async () => {
    const s = await openStream();
    await s.waitFor('the snapshot', () => s.events.some((e) => e.name === 'snapshot'));
    await disableUser(s.lecturer.userId, null);
    await s.waitFor('the stream to end', () => s.isDone());
    expect(s.events.at(-1)).toEqual({ name: 'end', data: { reason: 'signed_out' } });
    await s.close();
  });

  it("ends with `end: signed_out` once the user's token_version changes (a password reset)", async () => {
    const s = await openStream();
    await s.waitFor('the snapshot', () => s.events.some((e) => e.name === 'snapshot'));
    await resetPassword(s.lecturer.userId, 'another long password', null);
    await s.waitFor('the stream to end', () => s.isDone());
    expect(s.events.at(-1)).toEqual({ name: 'end', data: { reason: 'signed_out' } });
    await s.close();
  });

  it('ends with `end: session_ended` once the session is stopped', async () => {
    const s = await openStream();
    await s.waitFor('the snapshot', () => s.events.some((e) => e.name === 'snapshot'));
    await stopSessionNow(s.session.sessionId, null);
    await s.waitFor('the stream to end', () => s.isDone());
    expect(s.events.at(-1)).toEqual({ name: 'end', data: { reason: 'session_ended' } });
    await s.close();
  });

  it('ends with `end: session_ended` once the session is past its end time', async () => {
    const s = await openStream(new Date(Date.now() + 1_500));
    await s.waitFor('the snapshot', () => s.events.some((e) => e.name === 'snapshot'));
    expect(s.isDone()).toBe(false);
    await s.waitFor('the stream to end', () => s.isDone());
    expect(s.events.at(-1)).toEqual({ name: 'end', data: { reason: 'session_ended' } });
    await s.close();
  });
});
