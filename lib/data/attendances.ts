import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { runDb, type DbOrTx, type Tx } from '@/db/client';
import { attendances, type Attendance } from '@/db/schema';
import { isConstraintError } from '@/db/errors';
import type { RecordAttendanceInput } from '@/lib/attendance/record-decision';
import { AppError } from '@/lib/errors';
import { assertLeaseHeld, type LeaseFence } from './camera-leases';

export type { RecordAttendanceInput };

/**
 * A write that retrying cannot fix: the row is wrong (an AppError, a constraint the row breaks), not
 * the connection. The attendance writer drops these instead of buffering them.
 */
export function isPermanentWriteError(err: unknown): boolean {
  return err instanceof AppError || isConstraintError(err);
}

export interface RecordAttendanceResult {
  /** False when the student was already recorded for this session (only last_seen moved). */
  created: boolean;
  attendance: Attendance;
}

/** What a write does when the session already has a row for the student (one row per student per session). */
export type WhenAlreadyRecorded =
  /** Another camera sighting: the first one's time, status and confidence stay; `last_seen` moves forward. */
  | 'seen-again'
  /** A review filling a gap: the existing row stays exactly as it is. */
  | 'keep'
  /** A lecturer's mark: status, source, marker and reason are replaced; the first sighting's time stays. */
  | 'overwrite';

/**
 * The one place an attendance row is written: INSERT … ON DUPLICATE KEY UPDATE on (session, student),
 * so concurrent writers cannot make two rows, then the stored row is read back. Run it inside the
 * caller's transaction (with its audit entry or lease check).
 */
export async function writeAttendance(
  db: DbOrTx,
  input: RecordAttendanceInput,
  whenAlreadyRecorded: WhenAlreadyRecorded,
): Promise<RecordAttendanceResult> {
  const attendanceId = crypto.randomUUID();
  const values = {
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
  };
  const set =
    whenAlreadyRecorded === 'seen-again'
      ? { lastSeen: sql`GREATEST(last_seen, VALUES(last_seen))` }
      : whenAlreadyRecorded === 'keep'
        ? { attendanceId: sql`attendance_id` }
        : // updated_at is set explicitly: ON UPDATE is Drizzle-side and the live stream keys on it.
          {
            status: values.status,
            source: values.source,
            markedBy: values.markedBy,
            reason: values.reason,
            updatedAt: input.seenAt,
          };
  await db.insert(attendances).values(values).onDuplicateKeyUpdate({ set });
  const [row] = await db
    .select()
    .from(attendances)
    .where(and(eq(attendances.sessionId, input.sessionId), eq(attendances.studentId, input.studentId)))
    .limit(1);
  if (!row) throw new Error('attendance vanished after insert');
  return { created: row.attendanceId === attendanceId, attendance: row };
}

/** The session's attendance row, locked until the transaction ends; NOT_FOUND when the session has no such row. */
export async function lockAttendanceInSession(tx: Tx, sessionId: string, attendanceId: string): Promise<Attendance> {
  const [row] = await tx
    .select()
    .from(attendances)
    .where(and(eq(attendances.attendanceId, attendanceId), eq(attendances.sessionId, sessionId)))
    .for('update')
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'Attendance not found in this session');
  return row;
}

/**
 * Records a camera sighting. Idempotent per (session, student): the first sighting wins — its timestamp,
 * status and confidence stay — and later ones only move `last_seen` forward. Safe under concurrency
 * (the UNIQUE key decides) and retried on deadlocks. With a `fence` (a worker writing for the camera
 * it leases) the row is written only while that lease is valid, checked in the same transaction:
 * otherwise AppError CONFLICT and nothing is written.
 */
export async function recordAttendance(
  input: RecordAttendanceInput,
  fence?: LeaseFence,
): Promise<RecordAttendanceResult> {
  return runDb('attendances.record', (pool) =>
    pool.transaction(async (tx) => {
      if (fence) await assertLeaseHeld(tx, fence);
      return writeAttendance(tx, input, 'seen-again');
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
