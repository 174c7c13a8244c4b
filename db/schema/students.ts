import { index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, updatedAt, uuidPk } from './columns';

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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('students_student_number_unique').on(t.studentNumber), index('students_name_idx').on(t.name)],
);

export type Student = typeof students.$inferSelect;
export type NewStudent = typeof students.$inferInsert;
