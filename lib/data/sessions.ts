import 'server-only';
import { and, asc, eq, gt, gte, lt, lte, ne, or } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { cameras, classSessions, courses, type ClassSession, type NewClassSession } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { audited } from './audit';
import { mayNameCourse, sameRoom, type PlaceActor } from '@/lib/timetable/clashes';

export type SessionInput = Pick<
  NewClassSession,
  'courseId' | 'cameraId' | 'date' | 'startsAt' | 'endsAt' | 'room' | 'lateAfterMinutes' | 'status'
>;

export async function getSession(sessionId: string): Promise<ClassSession | undefined> {
  return runDb('sessions.get', async (db) => {
    const [row] = await db.select().from(classSessions).where(eq(classSessions.sessionId, sessionId)).limit(1);
    return row;
  });
}

export async function getSessionOrThrow(sessionId: string): Promise<ClassSession> {
  const session = await getSession(sessionId);
  if (!session) throw new AppError('NOT_FOUND', `Session ${sessionId} not found`);
  return session;
}

/** 400 in words, on the end field, for a session that does not end after it starts. */
export function assertEndsAfterStart(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime())
    throw new AppError('VALIDATION', 'A session must end after it starts', {
      fields: { endsAt: 'Choose an end after the start' },
    });
}

/** Inserts the session with its 'session.create' audit entry (`actorUserId` null: a script or test). */
export async function createSession(input: SessionInput, actorUserId: string | null): Promise<ClassSession> {
  assertEndsAfterStart(input.startsAt, input.endsAt);
  const sessionId = crypto.randomUUID();
  await audited(
    'sessions.create',
    { actorUserId, action: 'session.create', entity: 'class_sessions', entityId: sessionId },
    async (tx) => {
      await tx.insert(classSessions).values({ ...input, sessionId });
    },
  );
  return getSessionOrThrow(sessionId);
}

async function findSessionByStart(courseId: string, startsAt: Date): Promise<ClassSession | undefined> {
  return runDb('sessions.findByStart', async (db) => {
    const [row] = await db
      .select()
      .from(classSessions)
      .where(and(eq(classSessions.courseId, courseId), eq(classSessions.startsAt, startsAt)))
      .limit(1);
    return row;
  });
}

/** Inserts the session unless the course already has one starting at `startsAt` (then nothing changes). */
export async function ensureSession(input: SessionInput): Promise<{ session: ClassSession; created: boolean }> {
  assertEndsAfterStart(input.startsAt, input.endsAt);
  const existing = await findSessionByStart(input.courseId, input.startsAt);
  if (existing) return { session: existing, created: false };
  const sessionId = crypto.randomUUID();
  await runDb('sessions.ensure', (db) =>
    db
      .insert(classSessions)
      .values({ ...input, sessionId })
      .onDuplicateKeyUpdate({ set: { courseId: input.courseId } }),
  );
  const session = await findSessionByStart(input.courseId, input.startsAt);
  if (!session) throw new Error('session vanished after insert');
  return { session, created: session.sessionId === sessionId };
}

/** Sessions on a calendar date ('YYYY-MM-DD'), earliest first. */
export async function listSessionsOn(date: string): Promise<ClassSession[]> {
  return runDb('sessions.listOn', (db) =>
    db.select().from(classSessions).where(eq(classSessions.date, date)).orderBy(asc(classSessions.startsAt)),
  );
}

/**
 * The session a camera is recording at `at`: started (allowing `earlyMinutes` before the start) and not
 * yet ended, and not cancelled or closed.
 */
export async function findSessionForCamera(
  cameraId: string,
  at: Date,
  earlyMinutes: number,
): Promise<ClassSession | undefined> {
  const latestStart = new Date(at.getTime() + earlyMinutes * 60_000);
  const rows = await runDb('sessions.forCamera', (db) =>
    db
      .select()
      .from(classSessions)
      .where(
        and(
          eq(classSessions.cameraId, cameraId),
          lte(classSessions.startsAt, latestStart),
          gte(classSessions.endsAt, at),
        ),
      )
      .orderBy(asc(classSessions.startsAt)),
  );
  return rows.find((s) => s.status === 'scheduled' || s.status === 'open');
}

/** The longest session anyone may schedule: a class, an exam day — never a fortnight by mistake. */
export const MAX_SESSION_HOURS = 12;

/** 400 in words for a session that ends before it starts or lasts longer than MAX_SESSION_HOURS. */
export function assertSessionLength(startsAt: Date, endsAt: Date): void {
  assertEndsAfterStart(startsAt, endsAt);
  const ms = endsAt.getTime() - startsAt.getTime();
  if (ms > MAX_SESSION_HOURS * 3_600_000) {
    const hours = ms / 3_600_000;
    const length = hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.round(hours)} hours`;
    throw new AppError(
      'VALIDATION',
      `A session may last at most ${MAX_SESSION_HOURS} hours; this one would last ${length}. Check the end date.`,
      { fields: { endsAt: `At most ${MAX_SESSION_HOURS} hours after the start` } },
    );
  }
}

/**
 * What a lecturer may pick (an admin may pick anything): the course's room, and only a camera in that
 * room — otherwise a lecturer could point their class at a camera in another lecturer's room.
 */
export async function assertLecturerPlace(
  s: {
    courseRoom: string | null;
    room: string | null;
    cameraId: string | null;
    /** The session already had this camera (an admin may have put it there): not checked again. */
    cameraKept?: boolean;
  },
  actor: PlaceActor,
): Promise<void> {
  if (actor.role === 'admin') return;
  if (s.room !== null && !sameRoom(s.room, s.courseRoom)) {
    const allowed = s.courseRoom ? `the course's room, ${s.courseRoom}` : 'no room (the course has none yet)';
    throw new AppError('FORBIDDEN', `Lecturers schedule sessions in ${allowed}; ask an admin to use room ${s.room}`, {
      fields: { room: `Choose ${allowed}` },
    });
  }
  if (s.cameraId === null || s.cameraKept) return;
  const [camera] = await runDb('sessions.placeCamera', (db) =>
    db
      .select({ room: cameras.room, name: cameras.name })
      .from(cameras)
      .where(eq(cameras.cameraId, s.cameraId!))
      .limit(1),
  );
  if (!camera)
    throw new AppError('NOT_FOUND', `Camera ${s.cameraId} not found`, { fields: { cameraId: 'No such camera' } });
  if (!sameRoom(camera.room, s.courseRoom)) {
    const allowed = s.courseRoom
      ? `a camera in the course's room, ${s.courseRoom}`
      : 'no camera (the course has no room yet)';
    throw new AppError('FORBIDDEN', `Lecturers pick ${allowed}; ask an admin to use camera ${camera.name}`, {
      fields: { cameraId: `Choose ${allowed}` },
    });
  }
}

export { mayNameCourse, type PlaceActor };

/**
 * The rules of a session's place, for sessions scheduled, moved or re-opened through the dashboard/API:
 * - at most MAX_SESSION_HOURS long;
 * - a lecturer picks the course's room and a camera in it (only an admin puts a session elsewhere);
 * - it may not overlap another session (not cancelled) in the same room or on the same camera: 409
 *   naming it (to a lecturer, only when it is their own course's) — otherwise two classes would share
 *   one camera's faces.
 */
export async function assertSessionPlace(
  s: {
    sessionId?: string;
    courseRoom: string | null;
    room: string | null;
    cameraId: string | null;
    cameraKept?: boolean;
    startsAt: Date;
    endsAt: Date;
  },
  actor: PlaceActor,
): Promise<void> {
  assertSessionLength(s.startsAt, s.endsAt);
  await assertLecturerPlace(s, actor);
  const clash = await sessionAlongside(s, s.startsAt, s.endsAt, 'not-cancelled');
  if (!clash) return;
  const c = clash;
  const where = s.room && c.room === s.room ? `room ${s.room}` : 'the same camera';
  const at = (d: Date) => `${localDay(d)} ${clockTime(d)}`;
  if (!mayNameCourse(actor, c.lecturerId))
    throw new AppError(
      'CONFLICT',
      `Another course already has ${where} from ${at(c.startsAt)} to ${at(c.endsAt)}; pick another time or room`,
    );
  throw new AppError(
    'CONFLICT',
    `${clash.courseCode} already has ${where} from ${at(c.startsAt)} to ${at(c.endsAt)}; pick another time or room`,
    { details: { sessionId: c.sessionId } },
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The server's local calendar day, 'YYYY-MM-DD' (sessions store their local date). */
export const localDay = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** The server's local 24-hour clock time, 'HH:MM', for messages. */
export const clockTime = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

/**
 * Another session than `s` in the same room or on the same camera overlapping [from, to): any that is
 * not cancelled, or only an open one (one running now). Undefined when `s` has neither room nor camera.
 */
export async function sessionAlongside(
  s: { sessionId?: string; room: string | null; cameraId: string | null },
  from: Date,
  to: Date,
  status: 'not-cancelled' | 'open',
): Promise<(ClassSession & { courseCode: string; lecturerId: string | null }) | undefined> {
  const place = [
    s.room ? eq(classSessions.room, s.room) : undefined,
    s.cameraId ? eq(classSessions.cameraId, s.cameraId) : undefined,
  ].filter((c) => c !== undefined);
  if (place.length === 0) return undefined;
  const [row] = await runDb('sessions.alongside', (db) =>
    db
      .select({ session: classSessions, courseCode: courses.code, lecturerId: courses.lecturerId })
      .from(classSessions)
      .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
      .where(
        and(
          status === 'open' ? eq(classSessions.status, 'open') : ne(classSessions.status, 'cancelled'),
          lt(classSessions.startsAt, to),
          gt(classSessions.endsAt, from),
          or(...place),
          s.sessionId ? ne(classSessions.sessionId, s.sessionId) : undefined,
        ),
      )
      .limit(1),
  );
  return row ? { ...row.session, courseCode: row.courseCode, lecturerId: row.lecturerId } : undefined;
}

/** A session the camera started recording: scheduled → open (never reopens a closed one). */
export async function markSessionOpen(sessionId: string): Promise<void> {
  await runDb('sessions.markOpen', (db) =>
    db
      .update(classSessions)
      .set({ status: 'open' })
      .where(and(eq(classSessions.sessionId, sessionId), eq(classSessions.status, 'scheduled'))),
  );
}

/**
 * Closes open sessions that have ended — also those left open by a worker that crashed. Returns how
 * many were closed.
 */
export async function closeEndedSessions(now = new Date()): Promise<number> {
  const result = await runDb('sessions.closeEnded', (db) =>
    db
      .update(classSessions)
      .set({ status: 'closed', closedAt: now })
      .where(and(eq(classSessions.status, 'open'), lt(classSessions.endsAt, now))),
  );
  return Number((result[0] as { affectedRows?: number }).affectedRows ?? 0);
}
