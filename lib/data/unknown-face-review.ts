import 'server-only';
import { and, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { faceTemplates, unknownFaces, type UnknownFace } from '@/db/schema';
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
        .set({ reviewed: true, reviewedBy: w.actorUserId, studentId: w.studentId })
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
        details: { ...w.audit, studentId: w.studentId, templateId, attendanceId },
      });
      return { templateId, attendanceId };
    }),
  );
}
