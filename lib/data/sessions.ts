import 'server-only';
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { classSessions, type ClassSession, type NewClassSession } from '@/db/schema';
import { AppError } from '@/lib/errors';

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

function assertTimes(input: Pick<SessionInput, 'startsAt' | 'endsAt'>): void {
  if (input.endsAt.getTime() <= input.startsAt.getTime()) {
    throw new AppError('VALIDATION', 'A session must end after it starts');
  }
}

export async function createSession(input: SessionInput): Promise<ClassSession> {
  assertTimes(input);
  const sessionId = crypto.randomUUID();
  await runDb('sessions.create', (db) => db.insert(classSessions).values({ ...input, sessionId }));
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
  assertTimes(input);
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
export async function findSessionForCamera(cameraId: string, at: Date, earlyMinutes: number): Promise<ClassSession | undefined> {
  const latestStart = new Date(at.getTime() + earlyMinutes * 60_000);
  const rows = await runDb('sessions.forCamera', (db) =>
    db
      .select()
      .from(classSessions)
      .where(and(eq(classSessions.cameraId, cameraId), lte(classSessions.startsAt, latestStart), gte(classSessions.endsAt, at)))
      .orderBy(asc(classSessions.startsAt)),
  );
  return rows.find((s) => s.status === 'scheduled' || s.status === 'open');
}
