import { getDbClient, pingDb } from '@/db/client';
import journal from '@/db/migrations/meta/_journal.json';
import { createLogger } from '@/lib/log';

// Anonymous callers get a generic reason; the driver's message (hosts, users, SQL) goes to the log.
const log = () => createLogger('health');

export interface HealthReport {
  status: 'ok' | 'degraded';
  uptimeSeconds: number;
  checks: { database: { ok: boolean; latencyMs?: number; error?: string } };
}

/** Used by GET /api/health and the worker's /healthz. */
export async function checkHealth(timeoutMs = 2_000): Promise<HealthReport> {
  const started = performance.now();
  let database: HealthReport['checks']['database'];
  try {
    await Promise.race([
      pingDb(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    database = { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    log().warn({ err }, 'health check: database not answering');
    database = { ok: false, error: 'database unreachable' };
  }
  return { status: database.ok ? 'ok' : 'degraded', uptimeSeconds: Math.round(process.uptime()), checks: { database } };
}

export interface ReadinessReport {
  ready: boolean;
  checks: {
    database: HealthReport['checks']['database'];
    migrations: { ok: boolean; applied?: number; expected: number; error?: string };
  };
}

/**
 * GET /api/ready: the database answers AND every migration this build ships has been applied.
 * Health says "the process is alive"; readiness says "send it traffic" (a new build before
 * `db:migrate` would otherwise fail on missing columns).
 */
export async function checkReadiness(): Promise<ReadinessReport> {
  const health = await checkHealth();
  const expected = journal.entries.length;
  if (!health.checks.database.ok)
    return {
      ready: false,
      checks: { database: health.checks.database, migrations: { ok: false, expected, error: 'database unreachable' } },
    };
  let migrations: ReadinessReport['checks']['migrations'];
  try {
    const [rows] = await getDbClient().pool.query('SELECT COUNT(*) AS n FROM `__drizzle_migrations`');
    const applied = Number((rows as { n: number }[])[0]?.n ?? 0);
    migrations = {
      ok: applied >= expected,
      applied,
      expected,
      ...(applied < expected ? { error: 'run: npm run db:migrate' } : {}),
    };
  } catch (err) {
    log().warn({ err }, 'readiness check: migrations table unreadable');
    migrations = { ok: false, expected, error: 'migrations table unreadable; see the log' };
  }
  return { ready: migrations.ok, checks: { database: health.checks.database, migrations } };
}
