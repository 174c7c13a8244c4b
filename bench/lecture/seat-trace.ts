/**
 * Which seat's face carried each attendance row, as bench:hall traces it for one camera, here for N:
 * the engine pool is wrapped so that every embedded face is filed under its camera (known by the
 * frame's bytes: ffmpeg copies the rendered JPEGs unchanged) and the seat nearest its box. When a
 * student is recorded, the recent face most like their templates names the seat; a stranger's seat
 * there is a stranger recorded under their name.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { FaceEnginePool } from '@/lib/face/engine-pool';
import type { Seat } from './schedule';

/** How long a face counts as recent: the deciding sighting was embedded shortly before its row was written. */
const RECENT_MS = 5_000;

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

export const asFloats = (bytes: Uint8Array): Float32Array =>
  new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

export function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return d / Math.sqrt(na * nb);
}

/** The seat whose face centre is nearest the box's centre (within two face widths), or null. */
export function seatOf(seats: Seat[], box: { x: number; y: number; width: number; height: number }): number | null {
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  let best: number | null = null,
    bestD = Infinity;
  seats.forEach((s, i) => {
    const d = Math.hypot(cx - s.x, cy - s.y) / s.w;
    if (d < bestD) [best, bestD] = [i, d];
  });
  return bestD <= 2 ? best : null;
}

/**
 * Similarity of a face to a student's stored templates. A stored template twice the face's length is a
 * [sharp | classroom] pair (lib/face/embedding-matcher.ts, dual templates): either half may match.
 */
function likeness(face: Float32Array, gallery: Float32Array[]): number {
  let best = -1;
  for (const t of gallery) {
    const halves = t.length === 2 * face.length ? [t.subarray(0, face.length), t.subarray(face.length)] : [t];
    for (const h of halves) if (h.length === face.length) best = Math.max(best, cosine(face, h));
  }
  return best;
}

export class SeatTrace {
  private readonly cameraOf = new Map<string, number>();
  private readonly seen: Array<Map<number, { at: number; template: Float32Array }>>;
  /** Frames whose faces were filed under a camera; 0 means the pool's frame call was not seen. */
  traced = 0;

  /** `halls[i]`: camera i's seats and the directory of its timeline (links to every frame it sends). */
  constructor(private readonly halls: Array<{ seats: Seat[]; timeline: string }>) {
    this.seen = halls.map(() => new Map());
    halls.forEach((h, i) => {
      const files = new Set(readdirSync(h.timeline).map((f) => realpathSync(path.join(h.timeline, f))));
      for (const file of files) this.cameraOf.set(sha1(readFileSync(file)), i);
    });
  }

  /** The pool, with its frame call filing every embedded face under its camera and seat. */
  wrap(pool: FaceEnginePool): FaceEnginePool {
    return new Proxy(pool, {
      get: (target, prop) => {
        if (prop === 'analyzeFrame')
          return async (...args: Parameters<FaceEnginePool['analyzeFrame']>) => {
            const result = await target.analyzeFrame(...args);
            const camera = this.cameraOf.get(sha1(args[0]));
            if (camera === undefined) return result;
            this.traced += 1;
            for (const f of result.faces) {
              if (!f.template) continue;
              const seat = seatOf(this.halls[camera]!.seats, f.face.box);
              if (seat !== null) this.seen[camera]!.set(seat, { at: Date.now(), template: asFloats(f.template.data) });
            }
            return result;
          };
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  /** The seat of camera `camera` whose recent face is most like `gallery`, or null if none is recent. */
  seatFor(camera: number, gallery: Float32Array[]): Seat | null {
    let best: { seat: number; score: number } | null = null;
    for (const [seat, s] of this.seen[camera]!) {
      if (Date.now() - s.at > RECENT_MS) continue;
      const score = likeness(s.template, gallery);
      if (!best || score > best.score) best = { seat, score };
    }
    return best ? this.halls[camera]!.seats[best.seat]! : null;
  }
}
