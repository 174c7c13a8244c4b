import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { runDb, type DbOrTx, type Tx } from '@/db/client';
import { auditLog, type AuditEntry } from '@/db/schema';
import { redactCredentials } from '@/lib/redact';

export interface AuditInput {
  actorUserId: string | null;
  /** Verb, e.g. 'attendance.manual_mark', 'student.delete'. */
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Details with every string passed through the credential redaction (`user:pass@`, `?token=`): an
 * edited camera URL is recorded, its password is not. The audit log is read by every admin and kept
 * for years, so a secret that reached it would outlive the camera's next password change.
 */
export function redactAuditDetails<T>(value: T): T {
  if (typeof value === 'string') return redactCredentials(value) as T;
  if (Array.isArray(value)) return value.map(redactAuditDetails) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAuditDetails(v)])) as T;
  return value;
}

/**
 * Inserts one audit entry through `db`; its details are redacted first (redactAuditDetails). A change and the entry describing it go in one transaction:
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
    details: input.details ? redactAuditDetails(input.details) : null,
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
      .limit(limit)
      .then((rows) => rows.map((r) => ({ ...r, details: redactAuditDetails(r.details) }))),
  );
}

/**
 * Adds 1 to a number in an entry's details (e.g. the attempts a sign-in limit refused within one
 * window), in one statement, so concurrent increments all count.
 */
export async function incrementAuditCount(auditId: string, field: string): Promise<void> {
  const path = `$.${field}`;
  await runDb('audit.increment', (db) =>
    db
      .update(auditLog)
      .set({
        details: sql`JSON_SET(${auditLog.details}, ${path}, CAST(COALESCE(JSON_VALUE(${auditLog.details}, ${path}), 0) AS SIGNED) + 1)`,
      })
      .where(eq(auditLog.auditId, auditId)),
  );
}
