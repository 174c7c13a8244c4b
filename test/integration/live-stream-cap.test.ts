/** GET /api/sessions/:id/events: one user can keep at most LIVE_STREAMS_PER_USER live views open. */
import { describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { LIVE_STREAMS_PER_USER } from '@/lib/dashboard/live-stream';
import { makeCourse, makeSession, makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

useThrowawayDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe('live view streams per user', () => {
  it(`answers 429 to a ${LIVE_STREAMS_PER_USER + 1}th open stream, and takes a new one once a view is closed`, async () => {
    const lecturer = await makeUser({ role: 'lecturer' });
    const session = await makeSession({ courseId: (await makeCourse({ lecturerId: lecturer.userId })).courseId });
    const { GET } = (await import('@/app/api/sessions/[sessionId]/events/route')) as unknown as { GET: Handler };
    signedIn = { id: lecturer.userId, role: 'lecturer', email: lecturer.email };
    const open = async () => {
      const controller = new AbortController();
      const res = await GET(
        new Request(`http://test/api/sessions/${session.sessionId}/events`, { signal: controller.signal }),
        { params: Promise.resolve({ sessionId: session.sessionId }) },
      );
      return { res, close: async () => (controller.abort(), await res.body?.cancel().catch(() => undefined)) };
    };
    const views = [];
    for (let i = 0; i < LIVE_STREAMS_PER_USER; i++) {
      const v = await open();
      expect(v.res.status).toBe(200);
      views.push(v);
    }
    const extra = await open();
    expect(extra.res.status).toBe(429);
    expect((await extra.res.json()).error.message).toMatch(/close another tab/);
    await views.pop()!.close();
    const again = await open();
    expect(again.res.status).toBe(200);
    for (const v of [...views, again]) await v.close();
  });
});
