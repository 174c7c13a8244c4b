import { describe, expect, it } from 'vitest';
import { closeDb, getDbClient } from '@/db/client';
import { GET } from '@/app/api/ready/route';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

describe('GET /api/ready', () => {
  it('is ready when the database answers and every migration is applied', async () => {
    const res = await GET(new Request('http://localhost/api/ready'));
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.checks.migrations.ok).toBe(true);
    expect(body.checks.migrations.applied).toBe(body.checks.migrations.expected);
  });

  it('is not ready when a migration is missing', async () => {
    const pool = getDbClient().pool;
    const [rows] = await pool.query(
      'SELECT id, hash, created_at FROM `__drizzle_migrations` ORDER BY created_at DESC LIMIT 1',
    );
    const last = (rows as { id: number; hash: string; created_at: number }[])[0]!;
    await pool.query('DELETE FROM `__drizzle_migrations` WHERE id = ?', [last.id]);
    try {
      const res = await GET(new Request('http://localhost/api/ready'));
      expect(res.status).toBe(503);
      expect((await res.json()).checks.migrations).toMatchObject({ ok: false, error: 'run: npm run db:migrate' });
    } finally {
      await pool.query('INSERT INTO `__drizzle_migrations` (id, hash, created_at) VALUES (?, ?, ?)', [
        last.id,
        last.hash,
        last.created_at,
      ]);
    }
  });

  it('is not ready when the database is unreachable', async () => {
    await closeDb();
    const original = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'mysql://admin:hunter2@127.0.0.1:9/none';
    const { resetEnvCache } = await import('@/lib/env');
    resetEnvCache();
    try {
      const res = await GET(new Request('http://localhost/api/ready'));
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.ready).toBe(false);
      // A generic reason only: no host, user, password or driver message for an anonymous caller.
      expect(body.checks.database).toEqual({ ok: false, error: 'database unreachable' });
      expect(JSON.stringify(body)).not.toMatch(/hunter2|admin|127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await closeDb();
      process.env.DATABASE_URL = original;
      resetEnvCache();
    }
  });
});
