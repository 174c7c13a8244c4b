/**
 * Follows faces across the frames of one camera by box overlap (IoU), so recognitions of the same
 * person can be pooled and voted on (STYLE §2: decide per track, not per frame). Each track carries a
 * constant-velocity estimate: two faces crossing each other keep their ids because a box is matched
 * against where its track is expected to be, not where it was.
 */
import { iou } from '@/lib/face/boxes';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Track {
  readonly id: number;
  box: Box;
  /** Box motion per frame, smoothed. */
  velocity: { dx: number; dy: number };
  /** Frames in which this track was matched. */
  hits: number;
  /** Consecutive frames without a match. */
  missed: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface TrackerOptions {
  /** A box joins a track only when it overlaps the track's predicted box at least this much. */
  minIoU?: number;
  /** A track that missed more than this many consecutive frames ends. */
  maxAge?: number;
}

export interface TrackerUpdate {
  /** Track id for each input box, same order. */
  trackIds: number[];
  /** Tracks that started in this frame. */
  started: number[];
  /** Tracks that ended (aged out) in this frame. */
  ended: Track[];
}

// One IoU for the detectors and the tracker.
export { iou };

export function predictedBox(track: Track, framesAhead = 1 + track.missed): Box {
  return {
    ...track.box,
    x: track.box.x + track.velocity.dx * framesAhead,
    y: track.box.y + track.velocity.dy * framesAhead,
  };
}

export class FaceTracker {
  private readonly minIoU: number;
  private readonly maxAge: number;
  private readonly live = new Map<number, Track>();
  private nextId = 1;

  constructor(options: TrackerOptions = {}) {
    this.minIoU = options.minIoU ?? 0.3;
    this.maxAge = options.maxAge ?? 5;
  }

  get tracks(): Track[] {
    return [...this.live.values()];
  }

  get(id: number): Track | undefined {
    return this.live.get(id);
  }

  /** Assigns this frame's boxes to tracks (greedy by best overlap), starts new ones, ages the rest. */
  update(boxes: readonly Box[], at: number): TrackerUpdate {
    const pairs: Array<{ trackId: number; box: number; overlap: number }> = [];
    for (const track of this.live.values()) {
      const expected = predictedBox(track);
      boxes.forEach((box, i) => {
        const overlap = iou(expected, box);
        if (overlap >= this.minIoU) pairs.push({ trackId: track.id, box: i, overlap });
      });
    }
    pairs.sort((a, b) => b.overlap - a.overlap);
    const trackIds = new Array<number>(boxes.length).fill(0);
    const matched = new Set<number>();
    for (const p of pairs) {
      if (matched.has(p.trackId) || trackIds[p.box] !== 0) continue;
      matched.add(p.trackId);
      trackIds[p.box] = p.trackId;
      const track = this.live.get(p.trackId) as Track;
      const box = boxes[p.box] as Box;
      const steps = 1 + track.missed;
      // Smoothed so one jittery detection does not throw the prediction off.
      track.velocity = {
        dx: 0.5 * track.velocity.dx + 0.5 * ((box.x - track.box.x) / steps),
        dy: 0.5 * track.velocity.dy + 0.5 * ((box.y - track.box.y) / steps),
      };
      track.box = { ...box };
      track.hits += 1;
      track.missed = 0;
      track.lastSeenAt = at;
    }
    const started: number[] = [];
    boxes.forEach((box, i) => {
      if (trackIds[i] !== 0) return;
      const id = this.nextId++;
      this.live.set(id, {
        id,
        box: { ...box },
        velocity: { dx: 0, dy: 0 },
        hits: 1,
        missed: 0,
        firstSeenAt: at,
        lastSeenAt: at,
      });
      trackIds[i] = id;
      started.push(id);
      matched.add(id);
    });
    const ended: Track[] = [];
    for (const track of this.live.values()) {
      if (matched.has(track.id)) continue;
      track.missed += 1;
      if (track.missed > this.maxAge) {
        this.live.delete(track.id);
        ended.push(track);
      }
    }
    return { trackIds, started, ended };
  }

  /** Ends every track (camera stopped or session changed). */
  clear(): Track[] {
    const all = this.tracks;
    this.live.clear();
    return all;
  }
}
