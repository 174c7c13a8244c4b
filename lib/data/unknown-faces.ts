import 'server-only';
import { and, asc, eq, lt } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { unknownFaces, type NewUnknownFace, type UnknownFace } from '@/db/schema';
import { assertLeaseHeld, type LeaseFence } from './camera-leases';

export type UnknownFaceInput = Pick<
  NewUnknownFace,
  | 'sessionId'
  | 'cameraId'
  | 'storageKey'
  | 'embedding'
  | 'model'
  | 'seenAt'
  | 'kind'
  | 'matchedStudentId'
  | 'livenessScore'
>;

/** With a `fence`, inserted only while that camera lease is valid (checked in the same transaction); AppError CONFLICT otherwise. */
export async function insertUnknownFace(input: UnknownFaceInput, fence?: LeaseFence): Promise<string> {
  const unknownId = crypto.randomUUID();
  await runDb('unknownFaces.insert', (db) =>
    db.transaction(async (tx) => {
      if (fence) await assertLeaseHeld(tx, fence);
      await tx.insert(unknownFaces).values({ ...input, unknownId });
    }),
  );
  return unknownId;
}

export async function listUnknownFacesForSession(sessionId: string): Promise<UnknownFace[]> {
  return runDb('unknownFaces.listForSession', (db) =>
    db.select().from(unknownFaces).where(eq(unknownFaces.sessionId, sessionId)).orderBy(asc(unknownFaces.seenAt)),
  );
}

/** Deletes rows seen before `cutoff` (up to `limit` per call); returns their storage keys to delete. */
export async function purgeUnknownFacesBefore(cutoff: Date, limit = 500): Promise<string[]> {
  return runDb('unknownFaces.purge', async (db) => {
    const rows = await db
      .select({ unknownId: unknownFaces.unknownId, storageKey: unknownFaces.storageKey })
      .from(unknownFaces)
      .where(lt(unknownFaces.seenAt, cutoff))
      .orderBy(asc(unknownFaces.seenAt))
      .limit(limit);
    for (const row of rows) await db.delete(unknownFaces).where(eq(unknownFaces.unknownId, row.unknownId));
    return rows.map((r) => r.storageKey);
  });
}

/**
 * Withdraws an unknown face nobody has reviewed yet (the worker recognised the track later); returns
 * its crop's storage key to delete, or null when it was already reviewed (a reviewer's answer stays).
 */
export async function withdrawUnreviewedUnknownFace(unknownId: string): Promise<string | null> {
  return runDb('unknownFaces.withdraw', (db) =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .select({ storageKey: unknownFaces.storageKey })
        .from(unknownFaces)
        .where(and(eq(unknownFaces.unknownId, unknownId), eq(unknownFaces.reviewed, false)))
        .for('update');
      if (!row) return null;
      await tx.delete(unknownFaces).where(eq(unknownFaces.unknownId, unknownId));
      return row.storageKey;
    }),
  );
}
