/**
 * The worker's notification stage: every `intervalMs` it looks for sessions that closed and cameras
 * that went quiet, enqueues one message each and records it in audit_log so it is sent once, across
 * restarts too. Optional arrivals are followed by a high-water mark on attendances.created_at.
 */
import { writeAudit } from '@/lib/data/audit';
import { listArrivalsSince, listUnannouncedClosedSessions, listUnannouncedOfflineCameras, sessionAttendanceCounts } from '@/lib/data/notification-events';
import type { Logger } from '@/lib/log';
import type { Notifier } from './notifier';

export interface WatchOptions {
  notifier: Notifier;
  offlineMinutes: number;
  arrivals: boolean;
  log: Logger;
  /** Sessions that ended longer ago than this are never announced (e.g. after a long outage). */
  lookbackMs?: number;
}

export interface WatchState {
  arrivalsAfter: Date;
}

/** One pass; returns how many messages were enqueued. Exported for tests. */
export async function checkNotifications(opts: WatchOptions, state: WatchState, now = new Date()): Promise<number> {
  let sent = 0;
  for (const s of await listUnannouncedClosedSessions(now, opts.lookbackMs ?? 24 * 3_600_000)) {
    const counts = await sessionAttendanceCounts(s.sessionId, s.courseId);
    await writeAudit({ actorUserId: null, action: 'notification.session_closed', entity: 'session', entityId: s.sessionId, details: { ...counts } });
    opts.notifier.notify({ type: 'session.closed', sessionId: s.sessionId, courseCode: s.courseCode, courseName: s.courseName, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), counts });
    sent++;
  }
  const cutoff = new Date(now.getTime() - opts.offlineMinutes * 60_000);
  for (const c of await listUnannouncedOfflineCameras(cutoff)) {
    const minutes = Math.floor((now.getTime() - c.lastSeenAt.getTime()) / 60_000);
    await writeAudit({ actorUserId: null, action: 'notification.camera_offline', entity: 'camera', entityId: c.cameraId, details: { lastSeenAt: c.lastSeenAt.toISOString(), minutes } });
    opts.notifier.notify({ type: 'camera.offline', cameraId: c.cameraId, cameraName: c.name, room: c.room, lastSeenAt: c.lastSeenAt.toISOString(), minutes });
    sent++;
  }
  if (opts.arrivals) {
    for (const a of await listArrivalsSince(state.arrivalsAfter)) {
      opts.notifier.notify({ type: 'attendance.arrival', sessionId: a.sessionId, courseCode: a.courseCode, studentId: a.studentId, studentName: a.studentName, status: a.status, at: a.at.toISOString() });
      state.arrivalsAfter = a.createdAt;
      sent++;
    }
  }
  return sent;
}

/** Runs `checkNotifications` every `intervalMs` until stopped; a failing pass is logged, never fatal. */
export function startNotificationWatch(opts: WatchOptions & { intervalMs?: number }): { stop(): Promise<void> } {
  const state: WatchState = { arrivalsAfter: new Date() };
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = checkNotifications(opts, state).catch((err: unknown) => opts.log.error({ err }, 'notification check failed'));
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
