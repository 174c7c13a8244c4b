/**
 * A lecturer's verdict on a face the liveness check doubted (camera liveness `flag` or `block`):
 * "this was real" or "this was a spoof". Each verdict changes the record and writes its audit entry
 * in one transaction, and a second verdict on the same item is refused (409).
 */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { attendances, unknownFaces } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { insertAudit } from './audit';
import { lockAttendanceInSession, writeAttendance } from './attendances';

export type LivenessVerdict = 'real' | 'spoof';

export const SPOOF_REASON = 'judged a spoof (photo or screen) in liveness review';
export const REAL_REASON = 'confirmed real in liveness review';

/**
 * A flagged attendance: `real` clears the flag; `spoof` turns the row into an absence with the reason
 * (the row stays, so the report shows the attempt; the audit entry keeps what it was before).
 */
export async function reviewDoubtfulAttendance(input: {
  sessionId: string;
  attendanceId: string;
  verdict: LivenessVerdict;
  actorUserId: string;
  now?: Date;
}): Promise<void> {
  const now = input.now ?? new Date();
  await runDb('livenessReview.attendance', (db) =>
    db.transaction(async (tx) => {
      const row = await lockAttendanceInSession(tx, input.sessionId, input.attendanceId);
      if (!row.livenessDoubtful)
        throw new AppError(
          'CONFLICT',
          'This attendance is not waiting for a liveness review (someone may have reviewed it already)',
        );
      const set =
        input.verdict === 'real'
          ? { livenessDoubtful: false, updatedAt: now }
          : {
              livenessDoubtful: false,
              status: 'absent' as const,
              source: 'manual' as const,
              markedBy: input.actorUserId,
              reason: SPOOF_REASON,
              updatedAt: now,
            };
      await tx.update(attendances).set(set).where(eq(attendances.attendanceId, row.attendanceId));
      await insertAudit(tx, {
        actorUserId: input.actorUserId,
        action: `attendance.liveness_${input.verdict}`,
        entity: 'class_sessions',
        entityId: row.sessionId,
        details: {
          attendanceId: row.attendanceId,
          studentId: row.studentId,
          verdict: input.verdict,
          livenessScore: row.livenessScore,
          before: { status: row.status, source: row.source, reason: row.reason },
        },
      });
    }),
  );
}

/**
 * A suspected spoof held back by `block`: `real` records the student it was recognised as (first
 * sighting's time; an existing row stays as it is), `spoof` closes it with nothing recorded.
 */
export async function reviewSuspectedSpoof(input: {
  sessionId: string;
  unknownId: string;
  verdict: LivenessVerdict;
  actorUserId: string;
}): Promise<{ attendanceId: string | null }> {
  return runDb('livenessReview.spoof', (db) =>
    db.transaction(async (tx) => {
      const [face] = await tx
        .select()
        .from(unknownFaces)
        .where(and(eq(unknownFaces.unknownId, input.unknownId), eq(unknownFaces.sessionId, input.sessionId)))
        .for('update')
        .limit(1);
      if (!face) throw new AppError('NOT_FOUND', 'Face not found in this session');
      if (face.kind !== 'suspected_spoof')
        throw new AppError(
          'VALIDATION',
          'This face was not held back by the liveness check; use "This is…" to say who it was',
        );
      if (face.reviewed) throw new AppError('CONFLICT', 'This face has already been reviewed');
      const studentId = input.verdict === 'real' ? face.matchedStudentId : null;
      if (input.verdict === 'real' && !studentId)
        throw new AppError('CONFLICT', 'The student this face was recognised as no longer exists');
      await tx
        .update(unknownFaces)
        .set({ reviewed: true, reviewedBy: input.actorUserId, studentId })
        .where(eq(unknownFaces.unknownId, face.unknownId));
      let attendanceId: string | null = null;
      if (studentId) {
        const { attendance } = await writeAttendance(
          tx,
          {
            sessionId: input.sessionId,
            studentId,
            seenAt: face.seenAt,
            source: 'camera',
            cameraId: face.cameraId,
            markedBy: input.actorUserId,
            reason: REAL_REASON,
            livenessScore: face.livenessScore,
          },
          // An existing record (camera or manual) stays as it is: this only fills a gap.
          'keep',
        );
        attendanceId = attendance.attendanceId;
      }
      await insertAudit(tx, {
        actorUserId: input.actorUserId,
        action: `unknown_face.liveness_${input.verdict}`,
        entity: 'unknown_faces',
        entityId: face.unknownId,
        details: {
          sessionId: input.sessionId,
          matchedStudentId: face.matchedStudentId,
          livenessScore: face.livenessScore,
          verdict: input.verdict,
          attendanceId,
        },
      });
      return { attendanceId };
    }),
  );
}
