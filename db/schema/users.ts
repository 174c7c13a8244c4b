import { int, mysqlEnum, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, updatedAt, utcDatetime, uuidPk } from './columns';

export const USER_ROLES = ['admin', 'lecturer'] as const;
export type UserRole = (typeof USER_ROLES)[number];
/**
 * Who a signed-in session is: a staff `users` row (admin, lecturer), or a student signed in through
 * campus single sign-on to their own page (a `students` row; lib/auth/oidc.ts). Route and page guards
 * let a student in only where they name 'student' (lib/auth/session.ts).
 */
export type SessionRole = UserRole | 'student';

export const users = mysqlTable(
  'users',
  {
    userId: uuidPk('user_id'),
    email: varchar('email', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    role: mysqlEnum('role', USER_ROLES).notNull().default('lecturer'),
    lastLoginAt: utcDatetime('last_login_at'),
    /** Set while the account is disabled: no sign-in, and its sessions end at their next request. */
    disabledAt: utcDatetime('disabled_at'),
    /** Carried in the session JWT; bumping it (disable, password reset) ends every existing session. */
    tokenVersion: int('token_version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
