/**
 * Attendance disputes: a student says "I was there" or "that was not me" about one counted session of
 * their own course, in a short text; the course's lecturer (or an admin) accepts — which marks them
 * present or absent through writeAttendance, like a manual mark — or declines. Each step is audited
 * in the transaction of its change.
 */
import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  attendanceDisputes,
  attendances,
  students,
  type AttendanceDispute,
  type AttendanceStatus,
  type DisputeKind,
  type DisputeState,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { writeAttendance } from './attendances';
import { insertAudit } from './audit';
import { sessionCounts } from './counted-sessions';
import { isStudentEnrolled } from './courses';
import { getSessionOrThrow } from './sessions';

/** What accepting a dispute marks: "I was there" → present, "that was not me" → absent. */
export const ACCEPTED_STATUS: Record<DisputeKind, AttendanceStatus> = { was_there: 'present', not_me: 'absent' };

/** A student files a dispute about their own attendance in a session of their course that counts. */
export async function fileDispute(input: {
  studentId: string;
  sessionId: string;
  kind: DisputeKind;
  text: string;
  now?: Date;
}): Promise<AttendanceDispute> {
  const now = input.now ?? new Date();
  const session = await getSessionOrThrow(input.sessionId);
  // Another course's session looks like no session at all: a student learns nothing about it.
  if (!(await isStudentEnrolled(session.courseId, input.studentId)))
    throw new AppError('NOT_FOUND', 'Session not found');
  if (!sessionCounts(session, now))
    throw new AppError('VALIDATION', 'This session has not started yet or was cancelled: there is nothing to dispute');
  const disputeId = crypto.randomUUID();
  return runDb('disputes.file', (db) =>
    db.transaction(async (tx) => {
      const [open] = await tx
        .select({ id: attendanceDisputes.disputeId })
        .from(attendanceDisputes)
        .where(
          and(
            eq(attendanceDisputes.sessionId, input.sessionId),
            eq(attendanceDisputes.studentId, input.studentId),
            eq(attendanceDisputes.state, 'open'),
          ),
        )
        .for('update');
      if (open) throw new AppError('CONFLICT', 'You already have an open dispute for this session');
      await tx.insert(attendanceDisputes).values({
        disputeId,
        sessionId: input.sessionId,
        studentId: input.studentId,
        kind: input.kind,
        text: input.text,
      });
      await insertAudit(tx, {
        actorUserId: null,
        action: 'attendance.dispute_file',
        entity: 'class_sessions',
        entityId: input.sessionId,
        details: { disputeId, studentId: input.studentId, kind: input.kind, text: input.text, by: 'student' },
      });
      const [row] = await tx.select().from(attendanceDisputes).where(eq(attendanceDisputes.disputeId, disputeId));
      return row!;
    }),
  );
}

export interface SessionDispute {
  disputeId: string;
  studentId: string;
  studentName: string;
  studentNumber: string | null;
  kind: DisputeKind;
  text: string;
  state: DisputeState;
  createdAt: Date;
  resolvedAt: Date | null;
  /** The student's current status in the session (null: nothing recorded, i.e. absent). */
  currentStatus: AttendanceStatus | null;
}

/** The session's disputes for its lecturer's review area: open ones first, then the newest. */
export async function listDisputesForSession(sessionId: string): Promise<SessionDispute[]> {
  const rows = await runDb('disputes.listForSession', (db) =>
    db
      .select({
        disputeId: attendanceDisputes.disputeId,
        studentId: attendanceDisputes.studentId,
        studentName: students.name,
        studentNumber: students.studentNumber,
        kind: attendanceDisputes.kind,
        text: attendanceDisputes.text,
        state: attendanceDisputes.state,
        createdAt: attendanceDisputes.createdAt,
        resolvedAt: attendanceDisputes.resolvedAt,
        currentStatus: attendances.status,
      })
      .from(attendanceDisputes)
      .innerJoin(students, eq(students.studentId, attendanceDisputes.studentId))
      .leftJoin(
        attendances,
        and(
          eq(attendances.sessionId, attendanceDisputes.sessionId),
          eq(attendances.studentId, attendanceDisputes.studentId),
        ),
      )
      .where(eq(attendanceDisputes.sessionId, sessionId))
      .orderBy(desc(attendanceDisputes.createdAt))
      .limit(500),
  );
  return [...rows.filter((r) => r.state === 'open'), ...rows.filter((r) => r.state !== 'open')];
}

/**
 * Resolves an open dispute of the session: `accept` marks the student (ACCEPTED_STATUS) through
 * writeAttendance as a manual mark by the resolver, audited as `attendance.manual_mark` like any
 * manual mark; every decision is audited as `attendance.dispute_resolve`. A dispute already resolved
 * is a CONFLICT (two lecturers deciding at once: the first one counts).
 */
export async function resolveDispute(input: {
  sessionId: string;
  disputeId: string;
  decision: 'accept' | 'decline';
  actorUserId: string;
  now?: Date;
}): Promise<{ state: DisputeState; status: AttendanceStatus | null }> {
  const now = input.now ?? new Date();
  return runDb('disputes.resolve', (db) =>
    db.transaction(async (tx) => {
      const [d] = await tx
        .select()
        .from(attendanceDisputes)
        .where(
          and(eq(attendanceDisputes.disputeId, input.disputeId), eq(attendanceDisputes.sessionId, input.sessionId)),
        )
        .for('update');
      if (!d) throw new AppError('NOT_FOUND', 'Dispute not found in this session');
      if (d.state !== 'open') throw new AppError('CONFLICT', `This dispute was already ${d.state}`);
      const state: DisputeState = input.decision === 'accept' ? 'accepted' : 'declined';
      let status: AttendanceStatus | null = null;
      if (input.decision === 'accept') {
        status = ACCEPTED_STATUS[d.kind];
        const reason = `Dispute accepted: ${d.text}`.slice(0, 500);
        await writeAttendance(
          tx,
          {
            sessionId: d.sessionId,
            studentId: d.studentId,
            seenAt: now,
            status,
            source: 'manual',
            markedBy: input.actorUserId,
            reason,
          },
          'overwrite',
        );
        await insertAudit(tx, {
          actorUserId: input.actorUserId,
          action: 'attendance.manual_mark',
          entity: 'class_sessions',
          entityId: d.sessionId,
          details: { sessionId: d.sessionId, studentId: d.studentId, status, reason, disputeId: d.disputeId },
        });
      }
      await tx
        .update(attendanceDisputes)
        .set({ state, resolvedBy: input.actorUserId, resolvedAt: now })
        .where(eq(attendanceDisputes.disputeId, d.disputeId));
      await insertAudit(tx, {
        actorUserId: input.actorUserId,
        action: 'attendance.dispute_resolve',
        entity: 'class_sessions',
        entityId: d.sessionId,
        details: { disputeId: d.disputeId, studentId: d.studentId, kind: d.kind, decision: input.decision, status },
      });
      return { state, status };
    }),
  );
}
