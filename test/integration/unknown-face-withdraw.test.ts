/**
 * A track queued for review as unknown and recognised later is taken out of the review queue (row and
 * crop), unless a reviewer already answered for it: their answer stays.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { unknownFaces } from '@/db/schema';
import { insertUnknownFace, withdrawUnreviewedUnknownFace } from '@/lib/data/unknown-faces';
import { resetEnvCache } from '@/lib/env';
import { getStorage, resetStorage } from '@/lib/storage';
import { UnknownFaceStore } from '@/lib/recognition/unknown-face-store';
import { makeCourse, makeSession } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

describe('withdrawing an unknown face recognised later', () => {
  let dir: string;
  let sessionId: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'withdraw-'));
    process.env.DATA_DIR = dir;
    resetEnvCache();
    resetStorage();
    const course = await makeCourse();
    sessionId = (await makeSession({ courseId: course.courseId })).sessionId;
  });
  afterAll(async () => {
    delete process.env.DATA_DIR;
    await rm(dir, { recursive: true, force: true });
  });

  const queue = async () => {
    const storageKey = `unknown-faces/test/${crypto.randomUUID()}.jpg`;
    await getStorage().put(storageKey, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg');
    const unknownId = await insertUnknownFace({
      sessionId,
      cameraId: null,
      storageKey,
      embedding: Buffer.alloc(16),
      model: 'm|1',
      seenAt: new Date(),
    });
    return { unknownId, storageKey };
  };
  const store = new UnknownFaceStore({
    storage: getStorage,
    insert: insertUnknownFace,
    purgeBefore: async () => [],
    withdraw: withdrawUnreviewedUnknownFace,
  });

  it('deletes an unreviewed row and its crop', async () => {
    const { unknownId, storageKey } = await queue();
    expect(await store.withdraw(unknownId)).toBe(true);
    expect(await getDb().select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId))).toEqual([]);
    expect(await getStorage().list('unknown-faces/test/')).not.toContain(storageKey);
    expect(await store.withdraw(unknownId)).toBe(false);
  });

  it('keeps a row a reviewer already answered', async () => {
    const { unknownId, storageKey } = await queue();
    await getDb().update(unknownFaces).set({ reviewed: true }).where(eq(unknownFaces.unknownId, unknownId));
    expect(await store.withdraw(unknownId)).toBe(false);
    expect(await getDb().select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId))).toHaveLength(1);
    expect(await getStorage().list('unknown-faces/test/')).toContain(storageKey);
  });
});
