import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { attendances, type Attendance, type AttendanceSource, type AttendanceStatus } from '@/db/schema';
import { assertLeaseHeld, type LeaseFence } from './camera-leases';

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

export interface RecordAttendanceResult {
  /** False when the student was already recorded for this session (only last_seen moved). */
  created: boolean;
  attendance: Attendance;
}

/**
 * Records a sighting. Idempotent per (session, student): the first sighting wins — its timestamp,
 * status and confidence stay — and later ones only move `last_seen` forward. Safe under concurrency
 * (the UNIQUE key decides) and retried on deadlocks. With a `fence` (a worker writing for the camera
 * it leases) the row is written only while that lease is valid, checked in the same transaction:
 * otherwise AppError CONFLICT and nothing is written.
 */
export async function recordAttendance(
  input: RecordAttendanceInput,
  fence?: LeaseFence,
): Promise<RecordAttendanceResult> {
  const attendanceId = crypto.randomUUID();
  return runDb('attendances.record', (pool) =>
    pool.transaction(async (db) => {
      if (fence) await assertLeaseHeld(db, fence);
      await db
        .insert(attendances)
        .values({
          attendanceId,
          sessionId: input.sessionId,
          studentId: input.studentId,
          timestamp: input.seenAt,
          lastSeen: input.seenAt,
          status: input.status ?? 'present',
          confidence: input.confidence ?? null,
          cameraId: input.cameraId ?? null,
          source: input.source ?? 'camera',
          markedBy: input.markedBy ?? null,
          reason: input.reason ?? null,
          livenessScore: input.livenessScore ?? null,
          livenessDoubtful: input.livenessDoubtful ?? false,
        })
        .onDuplicateKeyUpdate({ set: { lastSeen: sql`GREATEST(last_seen, VALUES(last_seen))` } });
      const [row] = await db
        .select()
        .from(attendances)
        .where(and(eq(attendances.sessionId, input.sessionId), eq(attendances.studentId, input.studentId)))
        .limit(1);
      if (!row) throw new Error('attendance vanished after insert');
      return { created: row.attendanceId === attendanceId, attendance: row };
    }),
  );
}

export async function listAttendanceForSession(sessionId: string): Promise<Attendance[]> {
  return runDb('attendances.listForSession', (db) =>
    db.select().from(attendances).where(eq(attendances.sessionId, sessionId)).orderBy(asc(attendances.timestamp)),
  );
}

export async function countAttendanceForSession(sessionId: string): Promise<number> {
  const [row] = await runDb('attendances.count', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(attendances)
      .where(eq(attendances.sessionId, sessionId)),
  );
  return Number(row?.n ?? 0);
}
