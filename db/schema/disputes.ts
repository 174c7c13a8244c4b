import { index, mysqlEnum, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, utcDatetime, uuidPk, uuidRef } from './columns';
import { classSessions } from './sessions';
import { students } from './students';
import { users } from './users';

/** "I was there" (recorded absent or not at all) / "that was not me" (recorded, but they were not in class). */
export const DISPUTE_KINDS = ['was_there', 'not_me'] as const;
export const DISPUTE_STATES = ['open', 'accepted', 'declined'] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];
export type DisputeState = (typeof DISPUTE_STATES)[number];

/** A student's dispute of their own attendance in one session; the course's lecturer (or an admin) resolves it. */
export const attendanceDisputes = mysqlTable(
  'attendance_disputes',
  {
    disputeId: uuidPk('dispute_id'),
    sessionId: uuidRef('session_id')
      .notNull()
      .references(() => classSessions.sessionId, { onDelete: 'cascade' }),
    studentId: uuidRef('student_id')
      .notNull()
      .references(() => students.studentId, { onDelete: 'cascade' }),
    kind: mysqlEnum('kind', DISPUTE_KINDS).notNull(),
    text: varchar('text', { length: 500 }).notNull(),
    state: mysqlEnum('state', DISPUTE_STATES).notNull().default('open'),
    resolvedBy: uuidRef('resolved_by').references(() => users.userId, { onDelete: 'set null' }),
    resolvedAt: utcDatetime('resolved_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('attendance_disputes_session_idx').on(t.sessionId, t.state),
    index('attendance_disputes_student_idx').on(t.studentId),
  ],
);

export type AttendanceDispute = typeof attendanceDisputes.$inferSelect;
