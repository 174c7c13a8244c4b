/**
 * Keeps one face crop + embedding per unknown track for review (never an attendance row), and purges
 * them after UNKNOWN_RETENTION_DAYS. A crop is never left without its row: a failed insert deletes
 * it, and the purge also sweeps `unknown-faces/<day>/` folders older than the retention (crops of a
 * crash between the file and the row).
 */
import sharp from 'sharp';
import type { Box } from '@/lib/attendance/face-tracker';
import type { LeaseFence } from '@/lib/data/camera-leases';
import {
  insertOrJoinUnknownFace,
  purgeUnknownFacesBefore,
  withdrawUnreviewedUnknownFace,
  type UnknownFaceInput,
} from '@/lib/data/unknown-faces';
import { engineKey } from '@/lib/face/engine-identity';
import { getStorage, type ObjectStorage } from '@/lib/storage';
import type { UnknownTrack } from './frame-pipeline';

/** The face box grown by `pad` of its size on each side, clipped to the image; JPEG ≤ 160 px. */
export async function cropFace(jpeg: Buffer, box: Box, pad = 0.25): Promise<Buffer> {
  const image = sharp(jpeg);
  const { width = 0, height = 0 } = await image.metadata();
  const left = Math.max(0, Math.floor(box.x - box.width * pad));
  const top = Math.max(0, Math.floor(box.y - box.height * pad));
  const right = Math.min(width, Math.ceil(box.x + box.width * (1 + pad)));
  const bottom = Math.min(height, Math.ceil(box.y + box.height * (1 + pad)));
  if (right - left < 2 || bottom - top < 2)
    throw new Error(`face box ${JSON.stringify(box)} is outside the ${width}×${height} frame`);
  return image
    .extract({ left, top, width: right - left, height: bottom - top })
    .resize(160, 160, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export interface UnknownFaceStoreDeps {
  storage: () => ObjectStorage;
  /** The new entry's id; or the id of an entry the face joined (`joined`: no new entry, the crop is not kept). */
  insert: (row: UnknownFaceInput) => Promise<string | { unknownId: string; joined: boolean }>;
  purgeBefore: (cutoff: Date) => Promise<string[]>;
  /** Deletes the row unless it was reviewed; its storage key, or null when it stays. */
  withdraw?: (unknownId: string) => Promise<string | null>;
}

export class UnknownFaceStore {
  constructor(private readonly deps: UnknownFaceStoreDeps) {}

  async save(track: UnknownTrack): Promise<string> {
    const crop = await cropFace(track.jpeg, track.box);
    const day = track.seenAt.toISOString().slice(0, 10);
    const storageKey = `unknown-faces/${day}/${track.cameraId}/${crypto.randomUUID()}.jpg`;
    await this.deps.storage().put(storageKey, crop, 'image/jpeg');
    let saved: Awaited<ReturnType<UnknownFaceStoreDeps['insert']>>;
    try {
      saved = await this.deps.insert({
        sessionId: track.sessionId,
        cameraId: track.cameraId,
        storageKey,
        embedding: Buffer.from(track.template.data),
        // No model_version column: the version travels in `model` (see engine-identity).
        model: engineKey({ model: track.template.model, version: track.template.version }),
        seenAt: track.seenAt,
        kind: track.kind ?? 'unknown',
        matchedStudentId: track.matchedStudentId ?? null,
        livenessScore: track.livenessScore ?? null,
      });
    } catch (err) {
      await this.deps
        .storage()
        .delete(storageKey)
        .catch(() => undefined);
      throw err;
    }
    if (typeof saved === 'string') return saved;
    // Joined an entry already queued for this face: its own crop stays, this one goes.
    if (saved.joined)
      await this.deps
        .storage()
        .delete(storageKey)
        .catch(() => undefined);
    return saved.unknownId;
  }

  /** Takes an unreviewed face out of the review queue (its track was recognised later); true when it went. */
  async withdraw(unknownId: string): Promise<boolean> {
    const key = await this.deps.withdraw?.(unknownId);
    if (!key) return false;
    await this.deps
      .storage()
      .delete(key)
      .catch(() => undefined);
    return true;
  }

  /** Deletes rows and crops older than `retentionDays`, then crops of older days left without a row; returns how many went. */
  async purge(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const keys = await this.deps.purgeBefore(cutoff);
      for (const key of keys) await this.deps.storage().delete(key);
      total += keys.length;
      if (keys.length === 0) break;
    }
    // Every crop of a day before the cutoff's day is older than the retention, row or not.
    const cutoffDay = cutoff.toISOString().slice(0, 10);
    for (const key of await this.deps.storage().list('unknown-faces/')) {
      const day = /^unknown-faces\/(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
      if (day && day < cutoffDay) {
        await this.deps.storage().delete(key);
        total += 1;
      }
    }
    return total;
  }
}

/**
 * The worker's store: rows in the database, crops in the configured storage. Each row carries its
 * camera's lease (`fence`); a face already queued for this session by this camera (before a restart,
 * say) joins that entry when their templates agree above `joinAbove` (embedding matchers only).
 */
export function databaseUnknownFaceStore(opts: {
  fence: (cameraId: string) => LeaseFence;
  joinAbove?: number;
}): UnknownFaceStore {
  return new UnknownFaceStore({
    storage: getStorage,
    insert: (row) =>
      insertOrJoinUnknownFace(row, {
        fence: row.cameraId ? opts.fence(row.cameraId) : undefined,
        joinAbove: opts.joinAbove,
      }),
    purgeBefore: purgeUnknownFacesBefore,
    withdraw: withdrawUnreviewedUnknownFace,
  });
}
