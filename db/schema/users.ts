import { mysqlEnum, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, updatedAt, utcDatetime, uuidPk } from './columns';

export const USER_ROLES = ['admin', 'lecturer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const users = mysqlTable(
  'users',
  {
    userId: uuidPk('user_id'),
    email: varchar('email', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    role: mysqlEnum('role', USER_ROLES).notNull().default('lecturer'),
    lastLoginAt: utcDatetime('last_login_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
