import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { classSessions, courses, faceTemplates, students, unknownFaces, users, type UnknownFace } from '@/db/schema';
import { insertAudit } from './audit';
import { writeAttendance } from './attendances';

export async function findUnknownFace(unknownId: string): Promise<UnknownFace | undefined> {
  return runDb('unknownReview.find', async (db) => {
    const [row] = await db.select().from(unknownFaces).where(eq(unknownFaces.unknownId, unknownId)).limit(1);
    return row;
  });
}

export interface AssignWrite {
  unknownId: string;
  studentId: string;
  actorUserId: string;
  template: { model: string; modelVersion: string; embedding: Buffer } | null;
  /** A lecturer's assignment: no template now, a suggestion for an admin to approve or decline. */
  suggest: boolean;
  attendance: { sessionId: string; at: Date; reason: string } | null;
  audit: Record<string, unknown>;
}

/**
 * Marks the face reviewed and writes template, attendance and audit entry in one transaction.
 * The reviewed flag is claimed with a conditional UPDATE, so of two concurrent assigns exactly one
 * wins; returns false (nothing written) for the loser or an already reviewed face.
 */
export async function writeAssignment(
  w: AssignWrite,
): Promise<{ templateId: string | null; attendanceId: string | null } | false> {
  return runDb('unknownReview.assign', (db) =>
    db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(unknownFaces)
        .set({
          reviewed: true,
          reviewedBy: w.actorUserId,
          studentId: w.studentId,
          suggestion: w.suggest ? 'pending' : null,
        })
        .where(and(eq(unknownFaces.unknownId, w.unknownId), eq(unknownFaces.reviewed, false)));
      if (claimed.affectedRows === 0) return false;
      let templateId: string | null = null;
      if (w.template) {
        templateId = crypto.randomUUID();
        const dims = w.template.embedding.length / 4;
        await tx
          .insert(faceTemplates)
          .values({ templateId, studentId: w.studentId, photoId: null, dims, ...w.template });
      }
      let attendanceId: string | null = null;
      if (w.attendance) {
        const { sessionId, at, reason } = w.attendance;
        const { attendance } = await writeAttendance(
          tx,
          { sessionId, studentId: w.studentId, seenAt: at, source: 'manual', markedBy: w.actorUserId, reason },
          // An existing record (camera or manual) stays as it is: this only fills a gap.
          'keep',
        );
        attendanceId = attendance.attendanceId;
      }
      await insertAudit(tx, {
        actorUserId: w.actorUserId,
        action: 'unknown_face.assign',
        entity: 'unknown_faces',
        entityId: w.unknownId,
        details: { ...w.audit, studentId: w.studentId, templateId, attendanceId, suggested: w.suggest },
      });
      return { templateId, attendanceId };
    }),
  );
}

export interface TemplateSuggestion {
  unknownId: string;
  seenAt: Date;
  studentId: string;
  studentName: string;
  studentNumber: string | null;
  courseCode: string | null;
  sessionId: string | null;
  suggestedBy: string | null;
  suggestedByName: string | null;
}

/** Lecturers' pending "this is <student>" suggestions, newest first, for the admins' approval list. */
export async function listPendingSuggestions(limit = 200): Promise<TemplateSuggestion[]> {
  return runDb('unknownReview.pendingSuggestions', async (db) => {
    const rows = await db
      .select({
        unknownId: unknownFaces.unknownId,
        seenAt: unknownFaces.seenAt,
        studentId: students.studentId,
        studentName: students.name,
        studentNumber: students.studentNumber,
        courseCode: courses.code,
        sessionId: unknownFaces.sessionId,
        suggestedBy: unknownFaces.reviewedBy,
        suggestedByName: users.name,
      })
      .from(unknownFaces)
      .innerJoin(students, eq(students.studentId, unknownFaces.studentId))
      .leftJoin(classSessions, eq(classSessions.sessionId, unknownFaces.sessionId))
      .leftJoin(courses, eq(courses.courseId, classSessions.courseId))
      .leftJoin(users, eq(users.userId, unknownFaces.reviewedBy))
      .where(eq(unknownFaces.suggestion, 'pending'))
      .orderBy(desc(unknownFaces.seenAt))
      .limit(limit);
    return rows;
  });
}

/**
 * An admin's decision on a pending suggestion, in one transaction with its audit entry: approve makes
 * the template (`template`, null when the stored vector cannot be used), decline makes none. The
 * pending state is claimed with a conditional UPDATE: false when it was not pending (decided already).
 */
export async function decideSuggestion(d: {
  unknownId: string;
  actorUserId: string;
  approve: boolean;
  template: { model: string; modelVersion: string; embedding: Buffer } | null;
  now?: Date;
}): Promise<{ templateId: string | null } | false> {
  return runDb('unknownReview.decideSuggestion', (db) =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .select({ studentId: unknownFaces.studentId, suggestedBy: unknownFaces.reviewedBy })
        .from(unknownFaces)
        .where(and(eq(unknownFaces.unknownId, d.unknownId), eq(unknownFaces.suggestion, 'pending')))
        .limit(1)
        .for('update');
      if (!row?.studentId) return false;
      await tx
        .update(unknownFaces)
        .set({
          suggestion: d.approve ? 'approved' : 'declined',
          suggestionDecidedBy: d.actorUserId,
          suggestionDecidedAt: d.now ?? new Date(),
        })
        .where(eq(unknownFaces.unknownId, d.unknownId));
      let templateId: string | null = null;
      if (d.approve && d.template) {
        templateId = crypto.randomUUID();
        await tx.insert(faceTemplates).values({
          templateId,
          studentId: row.studentId,
          photoId: null,
          dims: d.template.embedding.length / 4,
          ...d.template,
        });
      }
      await insertAudit(tx, {
        actorUserId: d.actorUserId,
        action: d.approve ? 'unknown_face.suggestion_approve' : 'unknown_face.suggestion_decline',
        entity: 'unknown_faces',
        entityId: d.unknownId,
        details: { studentId: row.studentId, suggestedBy: row.suggestedBy, templateId },
      });
      return { templateId };
    }),
  );
}

/** How many suggestions wait for an admin (the students page's link says so). */
export async function countPendingSuggestions(): Promise<number> {
  const [row] = await runDb('unknownReview.countSuggestions', (db) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(unknownFaces)
      .where(eq(unknownFaces.suggestion, 'pending')),
  );
  return Number(row?.n ?? 0);
}
