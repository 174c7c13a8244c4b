import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { courses, sessionMood } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { insertAudit } from './audit';

/** Class mood per session: counts of sightings only, never who (PRIVACY.md "Class mood"). */
export type MoodCounts = { happy: number; neutral: number; tired: number; other: number };
/** Plus how many of those faces had eyes big enough to read (only those can count as tired). */
export type SessionMoodCounts = MoodCounts & { eyesRead: number };

/** Adds a batch of sightings to the session's counts (one upsert; safe to call from several workers). */
export async function addSessionMood(sessionId: string, add: SessionMoodCounts): Promise<void> {
  if (add.happy + add.neutral + add.tired + add.other === 0) return;
  await runDb('sessionMood.add', (db) =>
    db
      .insert(sessionMood)
      .values({ sessionId, ...add })
      .onDuplicateKeyUpdate({
        set: {
          happy: sql`${sessionMood.happy} + ${add.happy}`,
          neutral: sql`${sessionMood.neutral} + ${add.neutral}`,
          tired: sql`${sessionMood.tired} + ${add.tired}`,
          other: sql`${sessionMood.other} + ${add.other}`,
          eyesRead: sql`${sessionMood.eyesRead} + ${add.eyesRead}`,
        },
      }),
  );
}

/** The session's counts, or null when nothing was counted (class mood off, or no mood frame yet). */
export async function getSessionMood(sessionId: string): Promise<SessionMoodCounts | null> {
  const [row] = await runDb('sessionMood.get', (db) =>
    db.select().from(sessionMood).where(eq(sessionMood.sessionId, sessionId)).limit(1),
  );
  return row
    ? { happy: row.happy, neutral: row.neutral, tired: row.tired, other: row.other, eyesRead: row.eyesRead }
    : null;
}

/** Turns class mood on or off for a course, audited in the same transaction (the worker picks it up within one session refresh). */
export async function setCourseClassMood(input: {
  courseId: string;
  enabled: boolean;
  actorUserId: string;
}): Promise<void> {
  await runDb('sessionMood.setCourse', (db) =>
    db.transaction(async (tx) => {
      const [course] = await tx
        .select({ classMood: courses.classMood })
        .from(courses)
        .where(eq(courses.courseId, input.courseId))
        .for('update')
        .limit(1);
      if (!course) throw new AppError('NOT_FOUND', `Course ${input.courseId} not found`);
      if (course.classMood === input.enabled) return;
      await tx.update(courses).set({ classMood: input.enabled }).where(eq(courses.courseId, input.courseId));
      await insertAudit(tx, {
        actorUserId: input.actorUserId,
        action: input.enabled ? 'course.class_mood_on' : 'course.class_mood_off',
        entity: 'courses',
        entityId: input.courseId,
        details: { classMood: input.enabled },
      });
    }),
  );
}
