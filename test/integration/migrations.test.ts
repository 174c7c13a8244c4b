import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '@/db/create-database';
import { runMigrations } from '@/db/migrate';
import { throwawayUrl } from './throwaway-db';

const url = throwawayUrl();

async function inspect() {
  const conn = await createConnection({ uri: url });
  try {
    const [tables] = await conn.query('SHOW TABLES');
    const [applied] = await conn.query('SELECT COUNT(*) AS n FROM __drizzle_migrations');
    const [charset] = await conn.query(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
    );
    const [fks] = await conn.query(
      `SELECT TABLE_NAME AS t, REFERENCED_TABLE_NAME AS r, DELETE_RULE AS onDelete
       FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY t, r`,
    );
    return {
      tables: (tables as Record<string, string>[]).map((r) => Object.values(r)[0]).sort(),
      applied: Number((applied as { n: number }[])[0]!.n),
      charset: (charset as { cs: string }[])[0]!.cs,
      fks: fks as { t: string; r: string; onDelete: string }[],
    };
  } finally {
    await conn.end();
  }
}

afterAll(() => dropDatabase(url));

describe('migrations', () => {
  it('create the database and every table on an empty server', async () => {
    expect(await runMigrations(url)).toEqual({ created: true });
    const state = await inspect();
    expect(state.charset).toBe('utf8mb4');
    expect(state.tables).toEqual(
      [
        '__drizzle_migrations',
        'attendance_disputes',
        'attendances',
        'audit_log',
        'camera_leases',
        'cameras',
        'class_sessions',
        'course_enrollments',
        'courses',
        'demo_rows',
        'event_claims',
        'face_photos',
        'face_templates',
        'notification_routes',
        'session_mood',
        'students',
        'timetables',
        'unknown_faces',
        'users',
        'workers',
      ].sort(),
    );
    expect(state.applied).toBeGreaterThanOrEqual(1);
    // Child rows of students and sessions go with them; links to cameras/users are cleared.
    expect(state.fks).toContainEqual({ t: 'attendances', r: 'students', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'attendances', r: 'class_sessions', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'session_mood', r: 'class_sessions', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'attendances', r: 'cameras', onDelete: 'SET NULL' });
    expect(state.fks).toContainEqual({ t: 'courses', r: 'users', onDelete: 'SET NULL' });
    expect(state.fks).toContainEqual({ t: 'notification_routes', r: 'courses', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'notification_routes', r: 'users', onDelete: 'CASCADE' });
    // A course's timetables go with it; a deleted timetable leaves the sessions that ran (unlinked).
    expect(state.fks).toContainEqual({ t: 'timetables', r: 'courses', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'class_sessions', r: 'timetables', onDelete: 'SET NULL' });
    // A deleted camera takes its lease with it.
    expect(state.fks).toContainEqual({ t: 'camera_leases', r: 'cameras', onDelete: 'CASCADE' });
    // A student's disputes go with the student or the session; a deleted resolver leaves the decision.
    expect(state.fks).toContainEqual({ t: 'attendance_disputes', r: 'students', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'attendance_disputes', r: 'class_sessions', onDelete: 'CASCADE' });
    expect(state.fks).toContainEqual({ t: 'attendance_disputes', r: 'users', onDelete: 'SET NULL' });
  });

  it('are a no-op on an already-migrated database', async () => {
    const before = await inspect();
    expect(await runMigrations(url)).toEqual({ created: false });
    expect(await inspect()).toEqual(before);
  });
});
