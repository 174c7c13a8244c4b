import 'server-only';
import { and, asc, eq, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import { runDb, type DbOrTx, type Tx } from '@/db/client';
import { attendances, cameras, classSessions, courses, timetables, type Timetable } from '@/db/schema';
import {
  clashError,
  clashesFor,
  findClashes,
  type BookedSession,
  type Clash,
  type PlaceActor,
  type TimetablePlace,
} from '@/lib/timetable/clashes';
import {
  assertCreatesSessions,
  isLocked,
  planSessions,
  type Plan,
  type PlannedSession,
  type PreviewOccurrence,
} from '@/lib/timetable/plan';
import {
  expandPattern,
  parseWeekdays,
  type Occurrence,
  type TimetablePattern,
  type Weekday,
} from '@/lib/timetable/timetable-dates';
import { AppError } from '@/lib/errors';
import { insertAudit } from './audit';
import { getCameraOrThrow } from './cameras';
import { getCourseOrThrow } from './courses';
import { assertLecturerPlace } from './sessions';

/**
 * Timetables: weekly patterns that create a course's sessions. The rules are pure and live in
 * lib/timetable/ (dates: timetable-dates.ts, what a save does: plan.ts, clashes: clashes.ts); this file
 * reads and writes them, and holds the lecturer's place check: a lecturer uses the course's room and only
 * a camera in it, as for single sessions.
 */
export interface TimetableInput extends TimetablePattern, TimetablePlace {
  lateAfterMinutes: number | null;
}

export type TimetablePatch = Partial<Omit<TimetableInput, 'courseId'>>;

export interface TimetablePreview {
  occurrences: PreviewOccurrence[];
  clashes: Clash[];
  /** How many sessions saving would create (edits: create or move). */
  toCreate: number;
}

export async function getTimetableOrThrow(timetableId: string): Promise<Timetable> {
  const row = await runDb('timetables.get', async (db) => {
    const [r] = await db.select().from(timetables).where(eq(timetables.timetableId, timetableId)).limit(1);
    return r;
  });
  if (!row) throw new AppError('NOT_FOUND', `Timetable ${timetableId} not found`);
  return row;
}

export function patternOf(t: Timetable): TimetablePattern {
  return {
    weekdays: parseWeekdays(t.weekdays),
    startTime: t.startTime,
    endTime: t.endTime,
    fromDate: t.fromDate,
    toDate: t.toDate,
    exceptDates: t.exceptDates,
    timeZone: t.timeZone,
  };
}

export interface TimetableRow extends Timetable {
  weekdayList: Weekday[];
  cameraName: string | null;
  sessions: number;
  upcoming: number;
}

/** A course's timetables with how many sessions each has and how many are still to come. */
export async function listTimetables(courseId: string, now = new Date()): Promise<TimetableRow[]> {
  return runDb('timetables.list', async (db) => {
    const rows = await db
      .select({
        t: timetables,
        cameraName: cameras.name,
        sessions: sql<number>`(select count(*) from ${classSessions} s where s.timetable_id = ${sql.raw('`timetables`.`timetable_id`')})`,
        upcoming: sql<number>`(select count(*) from ${classSessions} s where s.timetable_id = ${sql.raw('`timetables`.`timetable_id`')} and s.starts_at > ${now})`,
      })
      .from(timetables)
      .leftJoin(cameras, eq(cameras.cameraId, timetables.cameraId))
      .where(eq(timetables.courseId, courseId))
      .orderBy(asc(timetables.fromDate), asc(timetables.startTime));
    return rows.map((r) => ({
      ...r.t,
      weekdayList: parseWeekdays(r.t.weekdays),
      cameraName: r.cameraName,
      sessions: Number(r.sessions),
      upcoming: Number(r.upcoming),
    }));
  });
}

/** Sessions (not cancelled, not of `ownTimetableId`) in the occurrences' span sharing their camera, room or course. */
async function bookedAround(
  db: DbOrTx,
  place: TimetablePlace,
  occurrences: Occurrence[],
  ownTimetableId: string | null,
): Promise<BookedSession[]> {
  if (occurrences.length === 0) return [];
  const first = occurrences[0]!.startsAt;
  const last = occurrences.at(-1)!.endsAt;
  const shared = or(
    eq(classSessions.courseId, place.courseId),
    place.cameraId ? eq(classSessions.cameraId, place.cameraId) : undefined,
    place.room ? eq(classSessions.room, place.room) : undefined,
  );
  const rows = await db
    .select({ s: classSessions, courseCode: courses.code, lecturerId: courses.lecturerId, cameraName: cameras.name })
    .from(classSessions)
    .innerJoin(courses, eq(courses.courseId, classSessions.courseId))
    .leftJoin(cameras, eq(cameras.cameraId, classSessions.cameraId))
    .where(
      and(
        shared,
        ne(classSessions.status, 'cancelled'),
        lt(classSessions.startsAt, last),
        gt(classSessions.endsAt, first),
        ownTimetableId
          ? or(sql`${classSessions.timetableId} is null`, ne(classSessions.timetableId, ownTimetableId))
          : undefined,
      ),
    )
    .orderBy(asc(classSessions.startsAt));
  return rows.map(({ s, courseCode, lecturerId, cameraName }) => ({ ...s, courseCode, lecturerId, cameraName }));
}

/** Clashes of the occurrences with sessions already booked (see lib/timetable/clashes.ts). */
async function clashesOf(
  db: DbOrTx,
  place: TimetablePlace,
  occurrences: Occurrence[],
  ownTimetableId: string | null,
): Promise<Clash[]> {
  return findClashes(place, occurrences, await bookedAround(db, place, occurrences, ownTimetableId));
}

/** Lecturers: the course's room and a camera in it (patch: only what the change names is checked). */
async function assertTimetablePlace(input: TimetablePlace, viewer: PlaceActor, cameraKept = false): Promise<void> {
  if (viewer.role === 'admin') return;
  const course = await getCourseOrThrow(input.courseId);
  await assertLecturerPlace(
    { courseRoom: course.room, room: input.room, cameraId: input.cameraId, cameraKept },
    viewer,
  );
}

/** The timetable's sessions, each marked whether an edit may still change it. */
async function sessionsOf(db: DbOrTx, timetableId: string, now: Date): Promise<PlannedSession[]> {
  const rows = await db
    // Qualified by hand: in a one-table select Drizzle leaves column names bare, and `session_id = session_id` is always true.
    .select({
      s: classSessions,
      attended: sql<number>`exists(select 1 from ${attendances} a where a.session_id = ${sql.raw('`class_sessions`.`session_id`')})`,
    })
    .from(classSessions)
    .where(eq(classSessions.timetableId, timetableId));
  return rows.map(({ s, attended }) => ({
    sessionId: s.sessionId,
    date: s.date,
    locked: isLocked(s, Number(attended) > 0, now),
  }));
}

/** Room: as given, else the camera's, else the course's default room. */
async function resolveRoom(input: TimetablePlace): Promise<string | null> {
  if (input.room) return input.room;
  const camera = input.cameraId ? await getCameraOrThrow(input.cameraId) : null;
  return camera?.room ?? (await getCourseOrThrow(input.courseId)).room ?? null;
}

async function plan(db: DbOrTx, input: TimetableInput, timetableId: string | null, now: Date): Promise<Plan> {
  const occurrences = expandPattern(input);
  const existing = timetableId ? await sessionsOf(db, timetableId, now) : [];
  return planSessions(occurrences, existing, now);
}

/** What saving would do, without writing: every date, which are past or kept, and the clashes. */
export async function previewTimetable(
  input: TimetableInput,
  opts: { timetableId?: string; now?: Date; viewer?: PlaceActor } = {},
): Promise<TimetablePreview> {
  const now = opts.now ?? new Date();
  const viewer = opts.viewer ?? { role: 'admin' };
  await assertTimetablePlace(input, viewer);
  const room = await resolveRoom(input);
  return runDb('timetables.preview', async (db) => {
    const p = await plan(db, { ...input, room }, opts.timetableId ?? null, now);
    const clashes = await clashesOf(db, { ...input, room }, p.writes, opts.timetableId ?? null);
    return { occurrences: p.occurrences, clashes: clashesFor(clashes, viewer), toCreate: p.writes.length };
  });
}

export interface TimetableWriteResult {
  timetable: Timetable;
  created: number;
  updated: number;
  removed: number;
  /** Sessions of the pattern left as they are (started, not scheduled, or with attendance). */
  kept: number;
  skippedPast: number;
  dates: string[];
}

async function writeSessions(
  tx: Tx,
  input: TimetableInput,
  timetableId: string,
  p: Plan,
): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  const base = { cameraId: input.cameraId, room: input.room, lateAfterMinutes: input.lateAfterMinutes };
  if (p.removals.length > 0) await tx.delete(classSessions).where(inArray(classSessions.sessionId, p.removals));
  const inserts = [];
  for (const w of p.writes) {
    if (w.sessionId) {
      await tx
        .update(classSessions)
        .set({ ...base, date: w.date, startsAt: w.startsAt, endsAt: w.endsAt })
        .where(eq(classSessions.sessionId, w.sessionId));
      updated++;
    } else {
      inserts.push({
        ...base,
        sessionId: crypto.randomUUID(),
        courseId: input.courseId,
        timetableId,
        date: w.date,
        startsAt: w.startsAt,
        endsAt: w.endsAt,
        status: 'scheduled' as const,
      });
    }
  }
  if (inserts.length > 0) await tx.insert(classSessions).values(inserts);
  created = inserts.length;
  return { created, updated };
}

const columnsOf = (input: TimetableInput) => ({
  cameraId: input.cameraId,
  room: input.room,
  weekdays: input.weekdays.join(','),
  startTime: input.startTime,
  endTime: input.endTime,
  fromDate: input.fromDate,
  toDate: input.toDate,
  exceptDates: [...input.exceptDates].sort(),
  timeZone: input.timeZone,
  lateAfterMinutes: input.lateAfterMinutes,
});

/** Creates the pattern and its future sessions in one transaction; 409 with every clashing date, or nothing is written. */
export async function createTimetable(
  input: TimetableInput,
  actorUserId: string | null,
  now = new Date(),
  viewer: PlaceActor = { role: 'admin' },
): Promise<TimetableWriteResult> {
  await assertTimetablePlace(input, viewer);
  const room = await resolveRoom(input);
  const full = { ...input, room };
  const timetableId = crypto.randomUUID();
  const result = await runDb('timetables.create', (db) =>
    db.transaction(async (tx) => {
      const p = await plan(tx, full, null, now);
      assertCreatesSessions(p, input);
      const clashes = await clashesOf(tx, full, p.writes, null);
      if (clashes.length > 0) throw clashError(clashes, viewer);
      await tx
        .insert(timetables)
        .values({ ...columnsOf(full), timetableId, courseId: input.courseId, createdBy: actorUserId });
      const w = await writeSessions(tx, full, timetableId, p);
      const skippedPast = p.occurrences.filter((o) => o.past).length;
      await insertAudit(tx, {
        actorUserId,
        action: 'timetable.create',
        entity: 'timetables',
        entityId: timetableId,
        details: { courseId: input.courseId, ...columnsOf(full), created: w.created, skippedPast },
      });
      return { ...w, removed: 0, kept: 0, skippedPast, dates: p.writes.map((x) => x.date) };
    }),
  );
  return { timetable: await getTimetableOrThrow(timetableId), ...result };
}

/** Applies the change to the pattern's future, never-run sessions only (moved, added or removed). */
export async function updateTimetable(
  timetableId: string,
  patch: TimetablePatch,
  actorUserId: string | null,
  now = new Date(),
  viewer: PlaceActor = { role: 'admin' },
): Promise<TimetableWriteResult> {
  const current = await getTimetableOrThrow(timetableId);
  const merged: TimetableInput = {
    ...patternOf(current),
    courseId: current.courseId,
    cameraId: current.cameraId,
    room: current.room,
    lateAfterMinutes: current.lateAfterMinutes,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
  await assertTimetablePlace(
    { courseId: current.courseId, cameraId: merged.cameraId, room: patch.room !== undefined ? merged.room : null },
    viewer,
    patch.cameraId === undefined || patch.cameraId === current.cameraId,
  );
  // A new camera without a room given brings its own room.
  const room = patch.room !== undefined || patch.cameraId === undefined ? merged.room : null;
  const full = { ...merged, room: await resolveRoom({ ...merged, room }) };
  const result = await runDb('timetables.update', (db) =>
    db.transaction(async (tx) => {
      const p = await plan(tx, full, timetableId, now);
      const clashes = await clashesOf(tx, full, p.writes, timetableId);
      if (clashes.length > 0) throw clashError(clashes, viewer);
      await tx.update(timetables).set(columnsOf(full)).where(eq(timetables.timetableId, timetableId));
      const w = await writeSessions(tx, full, timetableId, p);
      await insertAudit(tx, {
        actorUserId,
        action: 'timetable.update',
        entity: 'timetables',
        entityId: timetableId,
        details: { courseId: current.courseId, ...columnsOf(full), ...w, removed: p.removals.length, kept: p.kept },
      });
      return {
        ...w,
        removed: p.removals.length,
        kept: p.kept,
        skippedPast: p.occurrences.filter((o) => o.past).length,
        dates: p.writes.map((x) => x.date),
      };
    }),
  );
  return { timetable: await getTimetableOrThrow(timetableId), ...result };
}

/** Deletes the pattern and its future, never-run sessions; the others stay (unlinked). */
export async function deleteTimetable(
  timetableId: string,
  actorUserId: string | null,
  now = new Date(),
): Promise<{ removed: number; kept: number }> {
  const current = await getTimetableOrThrow(timetableId);
  const result = await runDb('timetables.delete', (db) =>
    db.transaction(async (tx) => {
      const existing = await sessionsOf(tx, timetableId, now);
      const removals = existing.filter((s) => !s.locked).map((s) => s.sessionId);
      if (removals.length > 0) await tx.delete(classSessions).where(inArray(classSessions.sessionId, removals));
      await tx.delete(timetables).where(eq(timetables.timetableId, timetableId));
      const counts = { removed: removals.length, kept: existing.length - removals.length };
      await insertAudit(tx, {
        actorUserId,
        action: 'timetable.delete',
        entity: 'timetables',
        entityId: timetableId,
        details: { courseId: current.courseId, ...counts },
      });
      return counts;
    }),
  );
  return result;
}
