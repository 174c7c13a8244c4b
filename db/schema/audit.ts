import { index, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, jsonColumn, uuidPk, uuidRef } from './columns';
import { users } from './users';

export const auditLog = mysqlTable(
  'audit_log',
  {
    auditId: uuidPk('audit_id'),
    actorUserId: uuidRef('actor_user_id').references(() => users.userId, { onDelete: 'set null' }),
    action: varchar('action', { length: 64 }).notNull(),
    entity: varchar('entity', { length: 64 }).notNull(),
    entityId: varchar('entity_id', { length: 36 }),
    details: jsonColumn<Record<string, unknown>>('details'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_created_idx').on(t.createdAt),
    index('audit_log_actor_idx').on(t.actorUserId),
    // The audit page filters by action (and lists the distinct actions) over a log that only grows.
    index('audit_log_action_created_idx').on(t.action, t.createdAt),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
