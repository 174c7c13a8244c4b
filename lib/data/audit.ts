import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import { runDb, type DbOrTx, type Tx } from '@/db/client';
import { auditLog, type AuditEntry } from '@/db/schema';

export interface AuditInput {
  actorUserId: string | null;
  /** Verb, e.g. 'attendance.manual_mark', 'student.delete'. */
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Inserts one audit entry through `db`. A change and the entry describing it go in one transaction:
 * pass the transaction's `tx`, so the entry cannot exist without the change, nor the change without it.
 */
export async function insertAudit(db: DbOrTx, input: AuditInput): Promise<string> {
  const auditId = crypto.randomUUID();
  await db.insert(auditLog).values({
    auditId,
    actorUserId: input.actorUserId,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ?? null,
    details: input.details ?? null,
  });
  return auditId;
}

/**
 * Runs `change` and inserts its audit entry in one transaction (retried whole on transient errors):
 * the usual shape of a lib/data write.
 */
export async function audited<T>(label: string, audit: AuditInput, change: (tx: Tx) => Promise<T>): Promise<T> {
  return runDb(label, (db) =>
    db.transaction(async (tx) => {
      const result = await change(tx);
      await insertAudit(tx, audit);
      return result;
    }),
  );
}

/**
 * An audit entry for an event that changes no other row (a sign-in, a refused sign-in, a notification
 * sent). Changes write theirs with `insertAudit` inside their own transaction.
 */
export async function writeAudit(input: AuditInput): Promise<string> {
  return runDb('audit.write', (db) => insertAudit(db, input));
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
