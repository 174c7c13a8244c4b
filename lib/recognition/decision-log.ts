/**
 * What the worker's log says about each face track a camera decided (and the counter it bumps):
 * a recognised track is logged again once its row is written (attendance-sink.ts).
 */
import type { Logger } from '@/lib/log';
import { trackDecisionsTotal } from '@/lib/metrics';
import type { TrackOutcome } from './frame-pipeline';
import type { TrackLink } from './track-links';

/** Logs and counts every decided track ('recognized' is logged once its row is written). */
export function logDecision(log: Logger, camera: string, d: TrackOutcome): void {
  trackDecisionsTotal.inc({ camera, outcome: d.outcome });
  if (d.outcome === 'recognized') {
    // Logged again when written ('attendance recorded'); this line says the later looks decided it.
    if (d.afterUnknown)
      log.info(
        {
          camera,
          sessionId: d.sessionId,
          track: d.trackId,
          studentId: d.studentId,
          score: d.score,
          votes: d.votes,
          faceWidth: d.faceWidth,
        },
        'unknown face track recognised after more looks',
      );
    return;
  }
  const where = { camera, sessionId: d.sessionId, track: d.trackId, votes: d.votes, faceWidth: d.faceWidth };
  if (d.outcome === 'unknown')
    log.info({ ...where, bestScore: d.score, closestStudentId: d.studentId, reason: d.reason }, 'unknown face track');
  else if (d.outcome === 'one-clear-look')
    log.info(
      { ...where, studentId: d.studentId, score: d.score },
      'face track held for a second clear look: one of its last looks matched a student, the others did not',
    );
  else if (d.outcome === 'suspected-spoof')
    log.warn(
      { ...where, studentId: d.studentId, score: d.score, liveness: d.liveness },
      'suspected spoof: recognised face looked like a photo or a screen; not recorded, queued for review',
    );
  else
    log.info({ ...where, studentId: d.studentId, score: d.score, reason: d.outcome }, 'recognised face not recorded');
}

/** A track that broke and was continued by a new one in the same place. */
export function logLink(log: Logger, camera: string, link: TrackLink): void {
  log.info(
    {
      camera,
      sessionId: link.sessionId,
      track: link.trackId,
      continues: link.fromTrackId,
      agreement: link.agreement,
      sightings: link.sightings,
      decision: link.decision,
    },
    'face track continues an earlier one',
  );
}
