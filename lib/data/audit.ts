import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { auditLog, type AuditEntry } from '@/db/schema';

export interface AuditInput {
  actorUserId: string | null;
  /** Verb, e.g. 'attendance.manual_mark', 'student.delete'. */
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown> | null;
}

export async function writeAudit(input: AuditInput): Promise<string> {
  const auditId = crypto.randomUUID();
  await runDb('audit.write', (db) =>
    db.insert(auditLog).values({
      auditId,
      actorUserId: input.actorUserId,
      action: input.action,
      entity: input.entity,
      entityId: input.entityId ?? null,
      details: input.details ?? null,
    }),
  );
  return auditId;
}

export async function listAuditFor(entity: string, entityId: string, limit = 100): Promise<AuditEntry[]> {
  return runDb('audit.listFor', (db) =>
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, entityId)))
      .orderBy(desc(auditLog.createdAt))
      .limit(limit),
  );
}
