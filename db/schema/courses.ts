import { boolean, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, updatedAt, uuidPk, uuidRef } from './columns';
import { students } from './students';
import { users } from './users';

export const courses = mysqlTable(
  'courses',
  {
    courseId: uuidPk('course_id'),
    code: varchar('code', { length: 32 }).notNull(),
    courseName: varchar('course_name', { length: 255 }).notNull(),
    lecturerId: uuidRef('lecturer_id').references(() => users.userId, { onDelete: 'set null' }),
    /** Default room for the course's sessions. */
    room: varchar('room', { length: 64 }),
    /** Class mood (opt-in): the worker counts how the class looks per session, never per student. */
    classMood: boolean('class_mood').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('courses_code_unique').on(t.code), index('courses_lecturer_idx').on(t.lecturerId)],
);

export const courseEnrollments = mysqlTable(
  'course_enrollments',
  {
    enrollmentId: uuidPk('enrollment_id'),
    studentId: uuidRef('student_id')
      .notNull()
      .references(() => students.studentId, { onDelete: 'cascade' }),
    courseId: uuidRef('course_id')
      .notNull()
      .references(() => courses.courseId, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('course_enrollments_student_course_unique').on(t.studentId, t.courseId),
    index('course_enrollments_course_idx').on(t.courseId),
  ],
);

export type Course = typeof courses.$inferSelect;
export type NewCourse = typeof courses.$inferInsert;
export type CourseEnrollment = typeof courseEnrollments.$inferSelect;
