/**
 * The worker's notification stage: every `intervalMs` it looks for sessions that closed and cameras
 * that went quiet, enqueues one message each and records it in audit_log so it is sent once, across
 * restarts too. Optional arrivals are followed by a high-water mark on attendances.created_at.
 * Each message goes to the global channels plus the matching notification routes (course, lecturer).
 * With several workers each one watches, and each event is claimed in the database first
 * (`claim`, an insert of the event's key): only the worker whose claim lands sends it.
 * Routes with a daily digest get, instead of session and arrival messages, one summary a day at their
 * hour in CAMPUS_TIMEZONE (sendDueDigests).
 */
import type { NotificationRouteRow } from '@/db/schema';
import { writeAudit } from '@/lib/data/audit';
import {
  listArrivalsSince,
  listDigestSessions,
  listUnannouncedClosedSessions,
  listUnannouncedOfflineCameras,
  sessionAttendanceCounts,
} from '@/lib/data/notification-events';
import {
  hasEnabledNotificationRoutes,
  listDueDigestRoutes,
  mailNamesTo,
  routesForCamera,
  routesForCourse,
} from '@/lib/data/notification-routes';
import type { Logger } from '@/lib/log';
import { zonedDate, zonedInstant } from '@/lib/timetable/timetable-dates';
import type { NotificationEvent } from './events';
import type { Notifier } from './notifier';
import { channelForRoute, routeChannels, type MailContext } from './routes';

export interface WatchOptions {
  notifier: Notifier;
  offlineMinutes: number;
  arrivals: boolean;
  log: Logger;
  /** Sessions that ended longer ago than this are never announced (e.g. after a long outage). */
  lookbackMs?: number;
  /** Bot API base for routes' Telegram channels (TELEGRAM_API_BASE). */
  telegramApiBase?: string;
  /** True for the one worker that is to announce the event `key` (default: this process is the only one). */
  claim?: (key: string) => Promise<boolean>;
  /** CAMPUS_TIMEZONE: e-mail times and the daily digest's day and hour (default UTC). */
  timeZone?: string;
}

export interface WatchState {
  arrivalsAfter: Date;
}

/** One pass; returns how many messages were enqueued. Exported for tests. */
export async function checkNotifications(opts: WatchOptions, state: WatchState, now = new Date()): Promise<number> {
  const routed = await hasEnabledNotificationRoutes();
  if (!opts.notifier.enabled && !routed) {
    // Nobody to tell: do not mark events announced, and do not replay old arrivals once someone is.
    state.arrivalsAfter = now;
    return 0;
  }
  const telegram = opts.telegramApiBase ?? 'https://api.telegram.org';
  const byCourse = new Map<string, Promise<NotificationRouteRow[]>>();
  const courseRoutes = (courseId: string) => {
    if (!routed) return Promise.resolve([]);
    if (!byCourse.has(courseId)) byCourse.set(courseId, routesForCourse(courseId));
    return byCourse.get(courseId)!;
  };
  const timeZone = opts.timeZone ?? 'UTC';
  // Only an arrival names a student, and only to the course's lecturer and admins (mailNamesTo).
  const noNames: MailContext = { timeZone, namesTo: new Set() };
  const send = (
    event: NotificationEvent,
    routes: readonly NotificationRouteRow[],
    global = true,
    mail: MailContext = noNames,
  ) => opts.notifier.notify(event, routeChannels(routes, event, telegram, mail), { global });
  const namesByCourse = new Map<string, Promise<Set<string>>>();
  const arrivalMail = async (courseId: string, routes: readonly NotificationRouteRow[]): Promise<MailContext> => {
    if (!routes.some((r) => r.channel === 'email')) return noNames;
    if (!namesByCourse.has(courseId)) namesByCourse.set(courseId, mailNamesTo(courseId));
    return { timeZone, namesTo: await namesByCourse.get(courseId)! };
  };

  const claim = opts.claim ?? (async () => true);
  let sent = 0;
  for (const s of await listUnannouncedClosedSessions(now, opts.lookbackMs ?? 24 * 3_600_000)) {
    if (!(await claim(`session_closed:${s.sessionId}`))) continue;
    const counts = await sessionAttendanceCounts(s.sessionId, s.courseId);
    await writeAudit({
      actorUserId: null,
      action: 'notification.session_closed',
      entity: 'session',
      entityId: s.sessionId,
      details: { ...counts },
    });
    send(
      {
        type: 'session.closed',
        sessionId: s.sessionId,
        courseCode: s.courseCode,
        courseName: s.courseName,
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        counts,
      },
      await courseRoutes(s.courseId),
    );
    sent++;
  }
  const cutoff = new Date(now.getTime() - opts.offlineMinutes * 60_000);
  for (const c of await listUnannouncedOfflineCameras(cutoff)) {
    // One outage = one last_seen_at: the camera coming back and going again is a new event.
    if (!(await claim(`camera_offline:${c.cameraId}:${c.lastSeenAt.getTime()}`))) continue;
    const minutes = Math.floor((now.getTime() - c.lastSeenAt.getTime()) / 60_000);
    await writeAudit({
      actorUserId: null,
      action: 'notification.camera_offline',
      entity: 'camera',
      entityId: c.cameraId,
      details: { lastSeenAt: c.lastSeenAt.toISOString(), minutes },
    });
    send(
      {
        type: 'camera.offline',
        cameraId: c.cameraId,
        cameraName: c.name,
        room: c.room,
        lastSeenAt: c.lastSeenAt.toISOString(),
        minutes,
      },
      routed ? await routesForCamera(c.cameraId, now) : [],
    );
    sent++;
  }
  // Arrivals go to the global channels only with NOTIFY_ARRIVALS, and to routes that subscribed to them.
  const routedArrivals = routed && (await hasEnabledNotificationRoutes('arrival'));
  if (opts.arrivals || routedArrivals) {
    for (const a of await listArrivalsSince(state.arrivalsAfter)) {
      state.arrivalsAfter = a.createdAt;
      if (!(await claim(`arrival:${a.sessionId}:${a.studentId}`))) continue;
      const routes = routedArrivals ? await courseRoutes(a.courseId) : [];
      send(
        {
          type: 'attendance.arrival',
          sessionId: a.sessionId,
          courseCode: a.courseCode,
          studentId: a.studentId,
          studentName: a.studentName,
          status: a.status,
          at: a.at.toISOString(),
        },
        routes,
        opts.arrivals,
        await arrivalMail(a.courseId, routes),
      );
      sent++;
    }
  } else {
    state.arrivalsAfter = now;
  }
  if (routed) sent += await sendDueDigests(opts, claim, telegram, timeZone, now);
  return sent;
}

/** The local hour (0–23) of `now` in `timeZone`. */
function localHour(now: Date, timeZone: string): number {
  const h = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now);
  return Number(h);
}

/**
 * Daily digests: each route whose hour has come and that had none today gets one summary of the
 * day's sessions (counts only). Claimed per route and local date, so with several workers one sends it.
 */
async function sendDueDigests(
  opts: WatchOptions,
  claim: (key: string) => Promise<boolean>,
  telegram: string,
  timeZone: string,
  now: Date,
): Promise<number> {
  const date = zonedDate(now, timeZone);
  const dayStart = zonedInstant(date, '00:00', timeZone);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const dayEnd = zonedInstant(next, '00:00', timeZone);
  let sent = 0;
  for (const route of await listDueDigestRoutes(localHour(now, timeZone), dayStart)) {
    if (!(await claim(`digest:${route.routeId}:${date}`))) continue;
    const sessions = await listDigestSessions(route, dayStart, dayEnd, now);
    // Written for a day without sessions too: the route is done for today either way.
    await writeAudit({
      actorUserId: null,
      action: 'notification.digest',
      entity: 'notification_route',
      entityId: route.routeId,
      details: { date, sessions: sessions.length },
    });
    if (sessions.length === 0) continue;
    const channel = channelForRoute(route, telegram, { timeZone, namesTo: new Set() });
    if (!channel) continue;
    opts.notifier.notify({ type: 'digest.daily', date, timeZone, sessions }, [channel], { global: false });
    sent++;
  }
  return sent;
}

/** Runs `checkNotifications` every `intervalMs` until stopped; a failing pass is logged, never fatal. */
export function startNotificationWatch(opts: WatchOptions & { intervalMs?: number }): { stop(): Promise<void> } {
  const state: WatchState = { arrivalsAfter: new Date() };
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = checkNotifications(opts, state).catch((err: unknown) =>
      opts.log.error({ err }, 'notification check failed'),
    );
  };
  const timer = setInterval(tick, opts.intervalMs ?? 30_000);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await current;
      await opts.notifier.close();
    },
  };
}
