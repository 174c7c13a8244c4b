import { index, int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, updatedAt, utcDatetime, uuidPk } from './columns';

export const students = mysqlTable(
  'students',
  {
    studentId: uuidPk('student_id'),
    /** The university's own number; optional for legacy rows. */
    studentNumber: varchar('student_number', { length: 32 }),
    name: varchar('name', { length: 255 }).notNull(),
    /** Legacy profile photo path/key, kept from the original data model. */
    photo: varchar('photo', { length: 512 }),
    email: varchar('email', { length: 255 }),
    /**
     * A signed-in student's session JWT carries this (they have no `users` row): bumping it ends their
     * sessions at the next request, like users.token_version. Bumped when the number or e-mail that
     * linked the sign-in changes.
     */
    sessionVersion: int('session_version').notNull().default(0),
    /** Set while the student's own request to erase their biometrics waits for an admin (cleared when done). */
    erasureRequestedAt: utcDatetime('erasure_requested_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('students_student_number_unique').on(t.studentNumber), index('students_name_idx').on(t.name)],
);

export type Student = typeof students.$inferSelect;
export type NewStudent = typeof students.$inferInsert;
