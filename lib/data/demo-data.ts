import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { cameras, classSessions, courses, demoRows, users } from '@/db/schema';
import { insertAudit } from './audit';

/**
 * Which rows are demo data: the seed records every row it creates with `--demo` (never a row it only
 * found), so removing the demo deletes exactly those. Students are listed here but erased by the
 * caller (lib/enrollment: their photos and templates leave the disk too).
 */
export const DEMO_ENTITIES = ['users', 'cameras', 'courses', 'students', 'class_sessions'] as const;
export type DemoEntity = (typeof DEMO_ENTITIES)[number];

export async function markDemoRow(entity: DemoEntity, rowId: string): Promise<void> {
  await runDb('demo.mark', (db) =>
    db.insert(demoRows).values({ entity, rowId }).onDuplicateKeyUpdate({ set: { entity } }),
  );
}

export async function listDemoRows(): Promise<Record<DemoEntity, string[]>> {
  const rows = await runDb('demo.list', (db) => db.select().from(demoRows));
  const out = Object.fromEntries(DEMO_ENTITIES.map((e) => [e, [] as string[]])) as Record<DemoEntity, string[]>;
  for (const r of rows) if (r.entity in out) out[r.entity as DemoEntity].push(r.rowId);
  return out;
}

export async function hasDemoData(): Promise<boolean> {
  const [row] = await runDb('demo.any', (db) => db.select({ n: sql<number>`count(*)` }).from(demoRows));
  return Number(row?.n ?? 0) > 0;
}

/**
 * Deletes the demo sessions, courses (their enrolments and timetables go with them), cameras and
 * users, forgets every demo row (students included: the caller erased them first) and writes one
 * audit entry, in one transaction. Real rows that pointed at a demo camera or lecturer keep going
 * (the database clears the link).
 */
export async function removeDemoRows(
  ids: Record<DemoEntity, string[]>,
  actorUserId: string | null,
  studentsRemoved: number,
): Promise<Record<DemoEntity, number>> {
  return runDb('demo.remove', (db) =>
    db.transaction(async (tx) => {
      const del = async (entity: DemoEntity, run: (list: string[]) => PromiseLike<unknown>) => {
        const list = ids[entity];
        if (list.length === 0) return 0;
        const [res] = (await run(list)) as [{ affectedRows?: number }?];
        await tx.delete(demoRows).where(and(eq(demoRows.entity, entity), inArray(demoRows.rowId, list)));
        return res?.affectedRows ?? 0;
      };
      const removed: Record<DemoEntity, number> = {
        class_sessions: await del('class_sessions', (l) =>
          tx.delete(classSessions).where(inArray(classSessions.sessionId, l)),
        ),
        courses: await del('courses', (l) => tx.delete(courses).where(inArray(courses.courseId, l))),
        cameras: await del('cameras', (l) => tx.delete(cameras).where(inArray(cameras.cameraId, l))),
        users: await del('users', (l) => tx.delete(users).where(inArray(users.userId, l))),
        students: studentsRemoved,
      };
      if (ids.students.length > 0)
        await tx.delete(demoRows).where(and(eq(demoRows.entity, 'students'), inArray(demoRows.rowId, ids.students)));
      await insertAudit(tx, {
        actorUserId,
        action: 'demo.remove',
        entity: 'demo_rows',
        entityId: null,
        details: removed,
      });
      return removed;
    }),
  );
}
