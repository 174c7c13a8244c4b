/**
 * `npm run bench:dashboard`: the live session page's and the report's queries with 100,000
 * attendance rows (200 sessions × 500 students) in a throwaway database — time to the data a
 * page needs (median of 20) and EXPLAIN of each query, to show they use indexes.
 */
import { createConnection } from 'mysql2/promise';
import { closeDb } from '@/db/client';
import { createDatabaseIfMissing, dropDatabase } from '@/db/create-database';
import { runMigrations } from '@/db/migrate';
import { attendanceChangedSince, listEnrolledRoster, listLiveAttendance } from '@/lib/data/live-attendance';
import { attendanceReport } from '@/lib/data/reports';
import { resetEnvCache } from '@/lib/env';
import { throwawayUrl } from '@/test/integration/throwaway-db';
import { SESSIONS, STUDENTS, seedAttendanceLoad } from './attendance-load';

async function median(fn: () => Promise<unknown>, runs = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function main() {
  const url = throwawayUrl('att_bench');
  process.env.DATABASE_URL = url;
  resetEnvCache();
  await createDatabaseIfMissing(url);
  await runMigrations(url);
  const conn = await createConnection({ uri: url, multipleStatements: true });
  try {
    const t0 = performance.now();
    await seedAttendanceLoad(conn);
    console.log(`seeded ${STUDENTS * SESSIONS} attendance rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const session = `x-${SESSIONS - 1}`;
    const results = {
      'session page: roster': await median(() => listEnrolledRoster('c-bench')),
      'session page: attendance list (500 rows)': await median(() => listLiveAttendance(session)),
      'live stream: one poll (changes since)': await median(() =>
        attendanceChangedSince(session, new Date(Date.now() - 2000)),
      ),
      'report: 1 course × 500 students × 200 sessions': await median(() =>
        attendanceReport({ from: '2025-01-01', to: '2025-12-31', courseId: 'c-bench', lecturerId: null }),
      ),
      'report: all courses': await median(() =>
        attendanceReport({ from: '2025-01-01', to: '2025-12-31', lecturerId: null }),
      ),
    };
    for (const [name, ms] of Object.entries(results))
      console.log(`${name.padEnd(50)} ${ms.toFixed(1).padStart(7)} ms  ${ms <= 200 ? 'ok (≤ 200 ms)' : 'SLOW'}`);

    const explain = async (label: string, sql: string, params: unknown[]) => {
      const [rows] = await conn.query(`EXPLAIN ${sql}`, params);
      console.log(`\nEXPLAIN ${label}`);
      for (const r of rows as Record<string, unknown>[])
        console.log(
          `  ${String(r.table).padEnd(20)} type=${String(r.type).padEnd(7)} key=${String(r.key).padEnd(40)} rows=${r.rows}`,
        );
    };
    await explain(
      'attendance list',
      'SELECT a.*, s.name FROM attendances a JOIN students s ON s.student_id = a.student_id WHERE a.session_id = ? ORDER BY a.timestamp',
      [session],
    );
    await explain(
      'live poll',
      'SELECT a.* FROM attendances a JOIN students s ON s.student_id = a.student_id WHERE a.session_id = ? AND a.updated_at > ?',
      [session, new Date()],
    );
    await explain(
      'report attended counts',
      `SELECT cs.course_id, a.student_id, count(*) FROM attendances a JOIN class_sessions cs ON cs.session_id = a.session_id
       WHERE cs.course_id IN (?) AND cs.date BETWEEN ? AND ? AND cs.status <> 'cancelled' AND a.status IN ('present','late','manual','excused') GROUP BY cs.course_id, a.student_id`,
      ['c-bench', '2025-01-01', '2025-12-31'],
    );
  } finally {
    await conn.end();
    await closeDb();
    await dropDatabase(url);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
