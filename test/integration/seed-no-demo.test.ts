/** A real install: `db:seed -- --no-demo` on an empty database creates the admin and nothing else. */
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, seed } from '@/db/seed';
import { verifyCredentials } from '@/lib/data/users';
import { useThrowawayDatabase } from './throwaway-db';

const db = useThrowawayDatabase();

describe('seed without demo', () => {
  it('creates only the admin, with its password shown once', async () => {
    const first = await seed(new Date(), { demo: false });
    expect(first.created).toEqual({ users: 1, courses: 0, students: 0, enrollments: 0, cameras: 0, sessions: 0 });
    expect(first.passwords).toHaveLength(1);
    expect(await verifyCredentials(DEMO_ADMIN_EMAIL, first.passwords[0]!.password)).toMatchObject({ role: 'admin' });
    expect((await seed(new Date(), { demo: false })).passwords).toEqual([]);

    const conn = await createConnection({ uri: db.url() });
    try {
      const rows: Record<string, number> = {};
      for (const t of [
        'users',
        'courses',
        'students',
        'course_enrollments',
        'cameras',
        'class_sessions',
        'demo_rows',
      ]) {
        const [r] = await conn.query(`SELECT COUNT(*) AS n FROM ${t}`);
        rows[t] = Number((r as { n: number }[])[0]!.n);
      }
      expect(rows).toEqual({
        users: 1,
        courses: 0,
        students: 0,
        course_enrollments: 0,
        cameras: 0,
        class_sessions: 0,
        demo_rows: 0,
      });
    } finally {
      await conn.end();
    }
  });
});
