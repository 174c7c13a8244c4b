/**
 * Broken face tracks (a head turned away, someone walking past): a track that ended is kept a while,
 * and a new track in its place whose template agrees continues it, so its evidence carries over
 * (frame-pipeline.ts calls this on a new track's first sightings). A recognised track also claims the
 * review entries of ended unknown tracks in its place that were the same person.
 */
import type { Box, Track } from '@/lib/attendance/face-tracker';
import type { TrackDecision, TrackEvidence } from '@/lib/attendance/track-evidence';
import { iou } from '@/lib/face/boxes';
import { cosine } from '@/lib/face/fusion';
import type { FaceTemplate } from '@/lib/face/types';

/** What the frame pipeline keeps per face track. */
export interface TrackState {
  evidence: TrackEvidence;
  frames: number;
  best: { jpeg: Buffer; box: Box; template: FaceTemplate; area: number } | null;
  /** Liveness scores of the embedded sightings. */
  liveness: number[];
  /** Embedded sightings so far in this track itself (linking is tried on its first few). */
  ownSightings: number;
  /** The id of the track this one continues, when it was linked. */
  linkedFrom: number | null;
  /** Where this track's evidence was queued for review as unknown (its own or a continued track's). */
  unknownRefs: string[];
}

export interface TrackLink {
  cameraId: string;
  sessionId: string;
  trackId: number;
  /** The earlier track whose evidence the new one took over. */
  fromTrackId: number;
  /** Cosine of the new track's template and the earlier track's. */
  agreement: number;
  sightings: number;
  /** What the earlier track had been decided to be (recognised stays recognised). */
  decision: TrackDecision['status'] | 'pending';
}

/** A track that ended recently: a new track in its place whose template agrees continues it. */
interface EndedTrack {
  trackId: number;
  box: Box;
  endedAt: number;
  state: TrackState;
}

/** How long an ended track can still be continued: a head turned away, a student who stepped out briefly. */
export const LINK_WINDOW_MS = 60_000;
/** Linking is tried on a new track's first sightings only; later it has its own evidence. */
export const LINK_TRIES = 3;

export class TrackLinks {
  /** Tracks that ended within LINK_WINDOW_MS, newest last. */
  private ended: EndedTrack[] = [];

  constructor(private readonly rules: { threshold: number; minMargin: number }) {}

  clear(): void {
    this.ended = [];
  }

  /** Ended tracks (their states taken out of `states`) are kept a while so a track starting in their place can continue them. */
  retire(ended: readonly Track[], states: Map<number, TrackState>, now: number): void {
    this.ended = this.ended.filter((e) => now - e.endedAt <= LINK_WINDOW_MS);
    for (const track of ended) {
      const state = states.get(track.id);
      states.delete(track.id);
      if (state && state.evidence.sightings > 0)
        this.ended.push({ trackId: track.id, box: track.box, endedAt: now, state });
    }
  }

  /**
   * Continues the ended track in this place whose fused template agrees with the new track's first
   * sighting above the matcher's threshold (the bar for "the same person"), when exactly one clearly does.
   * Nobody is linked across people: another person in the same seat does not agree with the template.
   * Returns what was linked, or null.
   */
  link(
    state: TrackState,
    box: Box,
    embedding: Float32Array,
    now: number,
  ): Pick<TrackLink, 'fromTrackId' | 'agreement' | 'decision'> | null {
    const near = this.ended.filter((e) => now - e.endedAt <= LINK_WINDOW_MS && samePlace(e.box, box));
    const scored = near
      .map((e) => {
        const v = e.state.evidence.fused.vector();
        return { e, agreement: v ? cosine(v, embedding) : -1 };
      })
      .sort((a, b) => b.agreement - a.agreement);
    const [best, second] = scored;
    const { threshold, minMargin } = this.rules;
    if (!best || !(best.agreement > threshold) || (second && best.agreement - second.agreement < minMargin))
      return null;
    const from = best.e.state;
    state.evidence.inherit(from.evidence);
    state.liveness.unshift(...from.liveness);
    state.unknownRefs.unshift(...from.unknownRefs);
    if (from.best && (!state.best || from.best.area > state.best.area)) state.best = from.best;
    state.linkedFrom = best.e.trackId;
    this.ended = this.ended.filter((e) => e !== best.e);
    return {
      fromTrackId: best.e.trackId,
      agreement: best.agreement,
      decision: from.evidence.decision?.status ?? 'pending',
    };
  }

  /**
   * Review entries of tracks that ended unknown in this place (`box`) and were the same person, whose
   * track broke before it could be linked — their template agrees with the recognised track's (`mine`),
   * or it was closest to the student it was recognised as: they go too.
   */
  claimUnknowns(box: Box, mine: Float32Array, studentId: string): string[] {
    const claimed = this.ended.filter((e) => {
      if (e.state.unknownRefs.length === 0 || !samePlace(e.box, box)) return false;
      const was = e.state.evidence.decision;
      if (was?.status === 'unknown' && was.bestIdentity === studentId) return true;
      const theirs = e.state.evidence.fused.vector();
      return theirs !== null && cosine(theirs, mine) > this.rules.threshold;
    });
    this.ended = this.ended.filter((e) => !claimed.includes(e));
    return claimed.flatMap((e) => e.state.unknownRefs);
  }
}

/** Two boxes of one seat: centres within a face width of each other and sizes within 1.5×. */
function samePlace(a: Box, b: Box): boolean {
  const ratio = a.width / b.width;
  if (ratio > 1.5 || ratio < 1 / 1.5) return false;
  const dx = a.x + a.width / 2 - (b.x + b.width / 2),
    dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.hypot(dx, dy) <= Math.max(a.width, b.width) || iou(a, b) > 0.3;
}
