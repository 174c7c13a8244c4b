/**
 * The session bookkeeping done at every session refresh: the session a camera has started recording
 * is opened (scheduled → open), and ended sessions are closed (also those a crashed worker left
 * open). Both updates are idempotent, so every worker may run them.
 */
import type { ActiveSession } from '@/lib/attendance/session-window';
import { closeEndedSessions, markSessionOpen } from '@/lib/data/sessions';
import type { Logger } from '@/lib/log';

export interface SessionOpenerDeps {
  markOpen: typeof markSessionOpen;
  closeEnded: typeof closeEndedSessions;
}

const DB_DEPS: SessionOpenerDeps = { markOpen: markSessionOpen, closeEnded: closeEndedSessions };

export class SessionOpener {
  constructor(
    private readonly log: Logger,
    private readonly deps: SessionOpenerDeps = DB_DEPS,
  ) {}

  /** Opens the sessions `cameraIds` are in at `now` (as `sessions` has them) and closes the ended ones. */
  async run(
    sessions: { activeAt(cameraId: string, at: Date): ActiveSession | undefined },
    cameraIds: string[],
    now = new Date(),
  ): Promise<void> {
    for (const cameraId of cameraIds) {
      const active = sessions.activeAt(cameraId, now);
      if (active?.status === 'scheduled') await this.deps.markOpen(active.sessionId);
    }
    const closed = await this.deps.closeEnded(now);
    if (closed > 0) this.log.info({ closed }, 'closed ended sessions');
  }
}
