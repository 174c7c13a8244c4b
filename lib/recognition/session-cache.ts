/**
 * The sessions of the cameras this worker processes, cached and refreshed, so a database outage
 * never stalls recognition. Each refresh also opens the session a camera has started recording and
 * closes ended ones (also those a crashed worker left open); both updates are idempotent, so every
 * worker may run them.
 */
import { activeSessionAt, type WindowSettings } from '@/lib/attendance/session-window';
import { closeEndedSessions, listSessionsForCameras, markSessionOpen } from '@/lib/data/recognition-lookups';
import type { Logger } from '@/lib/log';
import type { ActiveSession } from './camera-processor';

export interface SessionCacheDeps {
  list: typeof listSessionsForCameras;
  markOpen: typeof markSessionOpen;
  closeEnded: typeof closeEndedSessions;
}

const DB_DEPS: SessionCacheDeps = { list: listSessionsForCameras, markOpen: markSessionOpen, closeEnded: closeEndedSessions };

export class SessionCache {
  private sessions: ActiveSession[] = [];

  constructor(
    private readonly settings: WindowSettings,
    private readonly log: Logger,
    private readonly deps: SessionCacheDeps = DB_DEPS,
  ) {}

  get size(): number {
    return this.sessions.length;
  }

  /** The session a frame of `cameraId` taken at `at` belongs to (from the cache: no query). */
  activeAt(cameraId: string, at: Date): ActiveSession | undefined {
    return activeSessionAt(this.sessions, cameraId, at, this.settings);
  }

  /** Reloads the sessions of `cameraIds` around now; throws when the database is away (the cache stays). */
  async refresh(cameraIds: string[], now = new Date()): Promise<void> {
    const horizon = (this.settings.earlyMinutes + 10) * 60_000;
    this.sessions = await this.deps.list(cameraIds, new Date(now.getTime() - 10 * 60_000), new Date(now.getTime() + horizon));
    for (const cameraId of cameraIds) {
      const active = this.activeAt(cameraId, now);
      if (active?.status === 'scheduled') await this.deps.markOpen(active.sessionId);
    }
    const closed = await this.deps.closeEnded(now);
    if (closed > 0) this.log.info({ closed }, 'closed ended sessions');
  }
}
