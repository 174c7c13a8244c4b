import 'server-only';
import { sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { cameras, courseEnrollments, timetables } from '@/db/schema';

export interface SetupProgress {
  camera: boolean;
  /** Some student is enrolled in some course. */
  roster: boolean;
  timetable: boolean;
}

/** The overview's getting-started checklist: what a fresh install still lacks (three cheap EXISTS). */
export async function getSetupProgress(): Promise<SetupProgress> {
  return runDb('overview.setup', async (db) => {
    const [row] = await db
      .select({
        camera: sql<number>`exists(select 1 from ${cameras})`,
        roster: sql<number>`exists(select 1 from ${courseEnrollments})`,
        timetable: sql<number>`exists(select 1 from ${timetables})`,
      })
      .from(sql`(select 1) as one`);
    return { camera: Number(row?.camera) > 0, roster: Number(row?.roster) > 0, timetable: Number(row?.timetable) > 0 };
  });
}
