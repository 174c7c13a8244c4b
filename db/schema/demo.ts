import { primaryKey, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { createdAt } from './columns';

/**
 * Rows the demo seed created (`npm run db:seed -- --demo`), so "demo remove" deletes exactly those and
 * never a real row, even one with a demo-like name.
 */
export const demoRows = mysqlTable(
  'demo_rows',
  {
    /** The table the row lives in: users, cameras, courses, students, class_sessions. */
    entity: varchar('entity', { length: 32 }).notNull(),
    rowId: varchar('row_id', { length: 36 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.rowId] })],
);

export type DemoRow = typeof demoRows.$inferSelect;
