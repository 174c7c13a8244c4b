/**
 * A face track's liveness is decided over its sightings, like its identity (STYLE §2): every
 * embedded sighting is scored (lib/face/liveness.ts) and the track is live when the mean score is at
 * least the model's threshold. One blurred frame does not make a student a spoof, and one lucky frame
 * does not make a photo live. eval:liveness reports this rule over windows of 10 frames.
 */
import { DEFAULT_LIVENESS_MODE, type LivenessMode } from '@/db/schema/cameras';

export { DEFAULT_LIVENESS_MODE, type LivenessMode };

export type TrackLiveness = { score: number; live: boolean };

/** Null when no sighting was scored (the camera's liveness was off while the track was seen). */
export function trackLiveness(scores: readonly number[], threshold: number): TrackLiveness | null {
  if (scores.length === 0) return null;
  const score = scores.reduce((a, b) => a + b, 0) / scores.length;
  return { score, live: score >= threshold };
}

/**
 * What a recognised track's liveness does, per camera mode: `off` records as before; `flag` records
 * and marks a doubtful one for review; `block` records nothing for a doubtful one and queues it as a
 * suspected spoof.
 */
export function livenessAction(
  mode: LivenessMode,
  verdict: TrackLiveness | null,
): 'record' | 'record-doubtful' | 'block' {
  if (mode === 'off' || verdict === null || verdict.live) return 'record';
  return mode === 'flag' ? 'record-doubtful' : 'block';
}
