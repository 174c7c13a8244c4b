import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import {
  auditLog,
  classSessions,
  courses,
  notificationRoutes,
  users,
  type NotificationEventKind,
  type NotificationRouteRow,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { audited, insertAudit } from './audit';
import type { NotificationRouteInput } from './types';

/** What a route subscribes to when the input names no events. */
export const DEFAULT_ROUTE_EVENTS: readonly NotificationEventKind[] = ['session_closed', 'camera_offline'];

/** A route as stored: the channel's fields plus its digest choice (lib/notifications/routes.ts validates it). */
export type NewNotificationRoute = NotificationRouteInput & {
  digest?: NotificationRouteRow['digest'];
  digestHour?: number;
};

export type RouteOwner = { courseId: string; userId?: undefined } | { userId: string; courseId?: undefined };

/** Who a route's audit entry is filed under: its course, or the user it belongs to. */
function ownerEntity(row: { courseId: string | null; userId: string | null }) {
  return row.courseId ? { entity: 'courses', entityId: row.courseId } : { entity: 'users', entityId: row.userId };
}

/** Adds the route with its 'notification_route.create' audit entry (`actorUserId` null: the admin CLI or a test). */
export async function createNotificationRoute(
  owner: RouteOwner,
  input: NewNotificationRoute,
  actorUserId: string | null,
): Promise<NotificationRouteRow> {
  const routeId = randomUUID();
  const events = [...new Set(input.events ?? DEFAULT_ROUTE_EVENTS)].join(',');
  const secret = input.secret ?? null;
  const ownerIds = { courseId: owner.courseId ?? null, userId: owner.userId ?? null };
  await audited(
    'notifyRoutes.create',
    {
      actorUserId,
      action: 'notification_route.create',
      ...ownerEntity(ownerIds),
      details: { routeId, channel: input.channel, events: events.split(','), digest: input.digest ?? 'none' },
    },
    async (tx) => {
      await tx.insert(notificationRoutes).values({
        routeId,
        ...ownerIds,
        channel: input.channel,
        target: input.target,
        secret,
        events,
        enabled: input.enabled ?? true,
        digest: input.digest ?? 'none',
        digestHour: input.digestHour ?? 18,
      });
    },
  );
  const [row] = await runDb('notifyRoutes.get', (db) =>
    db.select().from(notificationRoutes).where(eq(notificationRoutes.routeId, routeId)),
  );
  return row!;
}

/** Routes of one course, or every route when no course is given; newest first. */
export async function listNotificationRoutes(filter: { courseId?: string } = {}): Promise<NotificationRouteRow[]> {
  return runDb('notifyRoutes.list', (db) =>
    db
      .select()
      .from(notificationRoutes)
      .where(filter.courseId ? eq(notificationRoutes.courseId, filter.courseId) : undefined)
      .orderBy(desc(notificationRoutes.createdAt), notificationRoutes.routeId),
  );
}

/** Deletes a route (only within `courseId` when given) with its audit entry; NOT_FOUND when nothing matched. */
export async function deleteNotificationRoute(
  routeId: string,
  courseId: string | undefined,
  actorUserId: string | null,
): Promise<void> {
  await runDb('notifyRoutes.delete', (db) =>
    db.transaction(async (tx) => {
      const where = and(
        eq(notificationRoutes.routeId, routeId),
        courseId ? eq(notificationRoutes.courseId, courseId) : undefined,
      );
      const [row] = await tx
        .select({ courseId: notificationRoutes.courseId, userId: notificationRoutes.userId })
        .from(notificationRoutes)
        .where(where)
        .for('update');
      if (!row) throw new AppError('NOT_FOUND', `Unknown notification route "${routeId}"`);
      await tx.delete(notificationRoutes).where(where);
      await insertAudit(tx, {
        actorUserId,
        action: 'notification_route.delete',
        ...ownerEntity(row),
        details: { routeId },
      });
    }),
  );
}

/** Any enabled route at all (for `kind`: one subscribed to it): lets the watcher skip idle passes. */
export async function hasEnabledNotificationRoutes(kind?: string): Promise<boolean> {
  const rows = await runDb('notifyRoutes.any', (db) =>
    db
      .select({ id: notificationRoutes.routeId })
      .from(notificationRoutes)
      .where(
        and(
          eq(notificationRoutes.enabled, true),
          kind ? sql`FIND_IN_SET(${kind}, ${notificationRoutes.events}) > 0` : undefined,
        ),
      )
      .limit(1),
  );
  return rows.length > 0;
}

/** Enabled routes of the course and of its lecturer (their own channel for all their courses). */
export async function routesForCourse(courseId: string): Promise<NotificationRouteRow[]> {
  const lecturer = sql`(SELECT ${courses.lecturerId} FROM ${courses} WHERE ${courses.courseId} = ${courseId})`;
  return runDb('notifyRoutes.forCourse', (db) =>
    db
      .select()
      .from(notificationRoutes)
      .where(
        and(
          eq(notificationRoutes.enabled, true),
          or(eq(notificationRoutes.courseId, courseId), sql`${notificationRoutes.userId} = ${lecturer}`),
        ),
      ),
  );
}

/**
 * Enabled routes of the courses with a session on this camera today (UTC day of `now`), and of those
 * courses' lecturers.
 */
export async function routesForCamera(cameraId: string, now: Date): Promise<NotificationRouteRow[]> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  return runDb('notifyRoutes.forCamera', async (db) => {
    const rows = await db
      .selectDistinct({ courseId: classSessions.courseId, lecturerId: courses.lecturerId })
      .from(classSessions)
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(
        and(
          eq(classSessions.cameraId, cameraId),
          gte(classSessions.startsAt, dayStart),
          lt(classSessions.startsAt, dayEnd),
        ),
      );
    if (rows.length === 0) return [];
    const courseIds = rows.map((r) => r.courseId);
    const lecturerIds = rows.flatMap((r) => (r.lecturerId ? [r.lecturerId] : []));
    return db
      .select()
      .from(notificationRoutes)
      .where(
        and(
          eq(notificationRoutes.enabled, true),
          or(
            inArray(notificationRoutes.courseId, courseIds),
            lecturerIds.length
              ? and(isNotNull(notificationRoutes.userId), inArray(notificationRoutes.userId, lecturerIds))
              : undefined,
          ),
        ),
      );
  });
}

/**
 * Who may read students' names in this course's e-mail: its lecturer and every admin whose account is
 * not disabled (lower-cased addresses). Anyone else an admin routes mail to gets counts only.
 */
export async function mailNamesTo(courseId: string): Promise<Set<string>> {
  const rows = await runDb('notifyRoutes.namesTo', (db) =>
    db
      .select({ email: users.email })
      .from(users)
      .where(
        and(
          isNull(users.disabledAt),
          or(
            eq(users.role, 'admin'),
            sql`${users.userId} = (SELECT ${courses.lecturerId} FROM ${courses} WHERE ${courses.courseId} = ${courseId})`,
          ),
        ),
      ),
  );
  return new Set(rows.map((r) => r.email.trim().toLowerCase()));
}

/**
 * Enabled daily-digest routes whose hour (`localHour`, CAMPUS_TIMEZONE) has come and that got no digest
 * since `dayStart` (the local midnight): "sent" is the audit row `notification.digest`, as for the
 * other notifications, so a restart does not send it again.
 */
export async function listDueDigestRoutes(localHour: number, dayStart: Date): Promise<NotificationRouteRow[]> {
  return runDb('notifyRoutes.dueDigests', (db) =>
    db
      .select()
      .from(notificationRoutes)
      .where(
        and(
          eq(notificationRoutes.enabled, true),
          eq(notificationRoutes.digest, 'daily'),
          lte(notificationRoutes.digestHour, localHour),
          sql`NOT EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.action} = 'notification.digest' AND ${auditLog.entity} = 'notification_route' AND ${auditLog.entityId} = ${notificationRoutes.routeId} AND ${auditLog.createdAt} >= ${dayStart})`,
        ),
      )
      .limit(500),
  );
}
