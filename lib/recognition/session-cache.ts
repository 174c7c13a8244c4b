/**
 * The sessions of the cameras this worker processes, cached and refreshed, so a database outage
 * never stalls recognition. A camera feeds the sessions bound to it and every session of its room
 * (a large room with several cameras: one student seen by two of them is still one row, the
 * attendance's session + student key). Reads only: opening and closing sessions is session-opener.ts.
 */
import { activeSessionAt, type ActiveSession, type WindowSettings } from '@/lib/attendance/session-window';
import { listSessionsForCameras } from '@/lib/data/recognition-lookups';

export interface SessionCacheDeps {
  list: typeof listSessionsForCameras;
}

const DB_DEPS: SessionCacheDeps = { list: listSessionsForCameras };

export interface CameraPlace {
  cameraId: string;
  room: string | null;
}

export class SessionCache {
  private sessions: Array<ActiveSession & { room?: string | null }> = [];
  private rooms = new Map<string, string | null>();

  constructor(
    private readonly settings: WindowSettings,
    private readonly deps: SessionCacheDeps = DB_DEPS,
  ) {}

  get size(): number {
    return this.sessions.length;
  }

  /** The courses of the cached sessions (their galleries are the ones in use). */
  get courseIds(): string[] {
    return [...new Set(this.sessions.map((s) => s.courseId))];
  }

  /** The session a frame of `cameraId` taken at `at` belongs to (from the cache: no query). */
  activeAt(cameraId: string, at: Date): ActiveSession | undefined {
    const room = this.rooms.get(cameraId) ?? null;
    // Sessions of the camera's room count as the camera's own.
    const mine = this.sessions
      .filter((s) => s.cameraId === cameraId || (room !== null && s.room === room))
      .map((s) => ({ ...s, cameraId }));
    return activeSessionAt(mine, cameraId, at, this.settings);
  }

  /** Reloads the sessions of `cameras` (by camera and by room) around now; throws when the database is away (the cache stays). */
  async refresh(cameras: Array<string | CameraPlace>, now = new Date()): Promise<void> {
    const places = cameras.map((c) => (typeof c === 'string' ? { cameraId: c, room: this.rooms.get(c) ?? null } : c));
    const cameraIds = places.map((c) => c.cameraId);
    const rooms = [...new Set(places.flatMap((c) => (c.room ? [c.room] : [])))];
    const horizon = (this.settings.earlyMinutes + 10) * 60_000;
    const sessions = await this.deps.list(
      cameraIds,
      new Date(now.getTime() - 10 * 60_000),
      new Date(now.getTime() + horizon),
      rooms,
    );
    this.rooms = new Map(places.map((c) => [c.cameraId, c.room]));
    this.sessions = sessions;
  }
}
