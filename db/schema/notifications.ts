import { boolean, index, mysqlEnum, mysqlTable, tinyint, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, uuidPk, uuidRef } from './columns';
import { courses } from './courses';
import { users } from './users';

export const NOTIFICATION_CHANNELS = ['webhook', 'slack', 'telegram', 'email'] as const;
/** `daily`: one summary a day (at `digest_hour` in CAMPUS_TIMEZONE) instead of per-session and per-arrival messages. */
export const NOTIFICATION_DIGESTS = ['none', 'daily'] as const;
export const NOTIFICATION_EVENT_KINDS = ['session_closed', 'camera_offline', 'arrival'] as const;
export type NotificationChannelKind = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationEventKind = (typeof NOTIFICATION_EVENT_KINDS)[number];

/**
 * Where a course's (or a lecturer's, for all their courses) notifications go, on top of the global
 * NOTIFY_* channels. Exactly one of course_id / user_id is set (checked by the app).
 */
export const notificationRoutes = mysqlTable(
  'notification_routes',
  {
    routeId: uuidPk('route_id'),
    courseId: uuidRef('course_id').references(() => courses.courseId, { onDelete: 'cascade' }),
    userId: uuidRef('user_id').references(() => users.userId, { onDelete: 'cascade' }),
    channel: mysqlEnum('channel', NOTIFICATION_CHANNELS).notNull(),
    /** Webhook / Slack URL, Telegram chat id, or e-mail address. */
    target: varchar('target', { length: 1024 }).notNull(),
    /** Webhook HMAC secret or Telegram bot token; stored as given (needed to sign), never shown again. */
    secret: varchar('secret', { length: 255 }),
    /** Comma-separated NotificationEventKind values. */
    events: varchar('events', { length: 64 }).notNull().default('session_closed,camera_offline'),
    enabled: boolean('enabled').notNull().default(true),
    digest: mysqlEnum('digest', NOTIFICATION_DIGESTS).notNull().default('none'),
    /** Local hour (0–23, CAMPUS_TIMEZONE) the daily digest is sent at. */
    digestHour: tinyint('digest_hour').notNull().default(18),
    createdAt: createdAt(),
  },
  (t) => [index('notification_routes_course_idx').on(t.courseId), index('notification_routes_user_idx').on(t.userId)],
);

export type NotificationRouteRow = typeof notificationRoutes.$inferSelect;
