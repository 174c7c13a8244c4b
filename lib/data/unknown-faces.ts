import 'server-only';
import { and, asc, eq, isNull, lt } from 'drizzle-orm';
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

/** Cosine similarity of two float32 embeddings stored as bytes; null when they cannot be compared. */
export function embeddingCosine(a: Uint8Array, b: Uint8Array): number | null {
  if (a.byteLength !== b.byteLength || a.byteLength === 0 || a.byteLength % 4 !== 0) return null;
  const x = new Float32Array(new Uint8Array(a).buffer);
  const y = new Float32Array(new Uint8Array(b).buffer);
  let dot = 0,
    nx = 0,
    ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i]! * y[i]!;
    nx += x[i]! * x[i]!;
    ny += y[i]! * y[i]!;
  }
  return nx > 0 && ny > 0 ? dot / Math.sqrt(nx * ny) : null;
}

/**
 * Queues the face for review unless this session already has it from the same camera: an entry of
 * the same kind and model whose stored embedding is at least `joinAbove` (cosine) like this one. The
 * face then joins that entry (its id, `joined: true`) instead of queueing the same person twice, as a
 * worker restarted mid-session did. Without `joinAbove` (a matcher whose templates are not
 * embeddings) it always inserts. With a `fence`, only while that camera lease is valid.
 */
export async function insertOrJoinUnknownFace(
  input: UnknownFaceInput,
  opts: { joinAbove?: number; fence?: LeaseFence } = {},
): Promise<{ unknownId: string; joined: boolean }> {
  const { joinAbove, fence } = opts;
  return runDb('unknownFaces.insertOrJoin', (db) =>
    db.transaction(async (tx) => {
      if (fence) await assertLeaseHeld(tx, fence);
      if (joinAbove !== undefined && input.sessionId && input.embedding && input.model) {
        const queued = await tx
          .select({ unknownId: unknownFaces.unknownId, embedding: unknownFaces.embedding })
          .from(unknownFaces)
          .where(
            and(
              eq(unknownFaces.sessionId, input.sessionId),
              input.cameraId ? eq(unknownFaces.cameraId, input.cameraId) : isNull(unknownFaces.cameraId),
              eq(unknownFaces.kind, input.kind ?? 'unknown'),
              eq(unknownFaces.model, input.model),
            ),
          )
          .orderBy(asc(unknownFaces.seenAt));
        let best: { unknownId: string; cos: number } | null = null;
        for (const row of queued) {
          const cos = row.embedding ? embeddingCosine(row.embedding, input.embedding) : null;
          if (cos !== null && cos >= joinAbove && (!best || cos > best.cos)) best = { unknownId: row.unknownId, cos };
        }
        if (best) return { unknownId: best.unknownId, joined: true };
      }
      const unknownId = crypto.randomUUID();
      await tx.insert(unknownFaces).values({ ...input, unknownId });
      return { unknownId, joined: false };
    }),
  );
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
