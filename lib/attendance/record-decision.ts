/**
 * Turns a track's decision into the input of `recordAttendance`, applying the session rules. Pure:
 * the enrolment check result is passed in (the gallery holds only enrolled students, and the writer
 * checks again at write time, so a student unenrolled mid-session is not recorded either).
 */
import type { AttendanceSource, AttendanceStatus } from '@/db/schema';
import { classifyArrival, type SessionTimes, type WindowSettings } from './session-window';
import type { TrackDecision } from './track-vote';

/** One attendance row to write (lib/data/attendances.ts recordAttendance): a camera's, or one marked by hand. */
export interface RecordAttendanceInput {
  sessionId: string;
  studentId: string;
  seenAt: Date;
  status?: AttendanceStatus;
  confidence?: number | null;
  cameraId?: string | null;
  source?: AttendanceSource;
  markedBy?: string | null;
  reason?: string | null;
  /** Mean liveness score of the track (camera rows with liveness checked). */
  livenessScore?: number | null;
  /** Recorded although it looked like a photo or a screen: for review (camera liveness `flag`). */
  livenessDoubtful?: boolean;
}

export type RecordOutcome =
  | { status: 'record'; input: RecordAttendanceInput }
  | {
      status: 'skipped';
      reason: 'unknown-face' | 'no-session' | 'not-enrolled' | 'too-early' | 'ended' | 'not-running';
    };

export interface DecisionContext {
  decision: TrackDecision;
  session: SessionTimes | undefined;
  cameraId: string;
  /** When the face was first seen in this track (first sighting wins). */
  seenAt: Date;
  isEnrolled: (studentId: string) => boolean;
  settings: WindowSettings;
}

export function recordDecision(ctx: DecisionContext): RecordOutcome {
  const { decision, session } = ctx;
  if (decision.status !== 'recognized') return { status: 'skipped', reason: 'unknown-face' };
  if (!session) return { status: 'skipped', reason: 'no-session' };
  if (!ctx.isEnrolled(decision.identity)) return { status: 'skipped', reason: 'not-enrolled' };
  const arrival = classifyArrival(session, ctx.seenAt, ctx.settings);
  if (arrival.status === 'skipped') return { status: 'skipped', reason: arrival.reason };
  return {
    status: 'record',
    input: {
      sessionId: session.sessionId,
      studentId: decision.identity,
      seenAt: ctx.seenAt,
      status: arrival.attendance,
      confidence: Math.round(decision.score * 1e4) / 1e4,
      cameraId: ctx.cameraId,
      source: 'camera',
    },
  };
}
