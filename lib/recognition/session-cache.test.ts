import { describe, expect, it } from 'vitest';
import type { ClassSession } from '@/db/schema';
import { createLogger } from '@/lib/log';
import { SessionCache, type SessionCacheDeps } from './session-cache';
import { SessionOpener, type SessionOpenerDeps } from './session-opener';

const now = new Date('2025-03-03T09:05:00Z');
const session = (over: Partial<ClassSession>): ClassSession =>
  ({
    sessionId: 's1',
    courseId: 'c1',
    cameraId: 'cam1',
    date: '2025-03-03',
    startsAt: new Date('2025-03-03T09:00:00Z'),
    endsAt: new Date('2025-03-03T10:00:00Z'),
    room: null,
    lateAfterMinutes: null,
    status: 'scheduled',
    closedAt: null,
    createdAt: now,
    updatedAt: now,
    ...over,
  }) as ClassSession;

function fakes(rows: ClassSession[]) {
  const calls = { opened: [] as string[], asked: [] as string[][], closed: 0, fail: false };
  const deps: SessionCacheDeps & SessionOpenerDeps = {
    list: async (ids, _from, _to, rooms = []) => {
      if (calls.fail) throw new Error('database away');
      calls.asked.push(ids);
      return rows
        .filter((r) => ids.includes(r.cameraId ?? '') || (r.room !== null && rooms.includes(r.room)))
        .map((r) => ({ ...r, classMood: false }));
    },
    markOpen: async (id) => void calls.opened.push(id),
    closeEnded: async () => ++calls.closed && 0,
  };
  return { deps, calls };
}

/** One session refresh of the worker: the cache reloads, then the opener opens and closes sessions. */
async function refresh(cache: SessionCache, deps: SessionOpenerDeps, cameraIds: string[]) {
  await cache.refresh(cameraIds, now);
  await new SessionOpener(createLogger('test'), deps).run(cache, cameraIds, now);
}

describe('SessionCache', () => {
  it('answers from the cache, opens the session a camera is in, closes ended ones each refresh', async () => {
    const { deps, calls } = fakes([session({}), session({ sessionId: 's2', cameraId: 'cam2' })]);
    const cache = new SessionCache({ earlyMinutes: 15, lateMinutes: 10 }, deps);
    expect(cache.activeAt('cam1', now)).toBeUndefined();
    await refresh(cache, deps, ['cam1']);
    expect(calls.asked).toEqual([['cam1']]);
    expect(cache.activeAt('cam1', now)?.sessionId).toBe('s1');
    expect(cache.activeAt('cam2', now)).toBeUndefined();
    expect(calls.opened).toEqual(['s1']);
    expect(calls.closed).toBe(1);
  });

  it("feeds every camera of a room its room's session, and only that room's", async () => {
    const { deps } = fakes([session({ sessionId: 'hall', cameraId: null, room: 'H1' })]);
    const cache = new SessionCache({ earlyMinutes: 15, lateMinutes: 10 }, deps);
    await cache.refresh(
      [
        { cameraId: 'front', room: 'H1' },
        { cameraId: 'back', room: 'H1' },
        { cameraId: 'other', room: 'B2' },
      ],
      now,
    );
    expect(cache.activeAt('front', now)?.sessionId).toBe('hall');
    expect(cache.activeAt('back', now)).toMatchObject({ sessionId: 'hall', cameraId: 'back' });
    expect(cache.activeAt('other', now)).toBeUndefined();
  });

  it('keeps the last sessions when the database is away', async () => {
    const { deps, calls } = fakes([session({ status: 'open' })]);
    const cache = new SessionCache({ earlyMinutes: 15, lateMinutes: 10 }, deps);
    await refresh(cache, deps, ['cam1']);
    calls.fail = true;
    await expect(refresh(cache, deps, ['cam1'])).rejects.toThrow('database away');
    expect(cache.activeAt('cam1', now)?.sessionId).toBe('s1');
    expect(calls.opened).toEqual([]);
  });

  it('only reads: a refresh alone opens and closes nothing (that is the opener’s step)', async () => {
    const { deps, calls } = fakes([session({})]);
    const cache = new SessionCache({ earlyMinutes: 15, lateMinutes: 10 }, deps);
    await cache.refresh(['cam1'], now);
    expect(cache.activeAt('cam1', now)?.status).toBe('scheduled');
    expect(calls.opened).toEqual([]);
    expect(calls.closed).toBe(0);
  });
});
