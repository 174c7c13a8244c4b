import { pingDb } from '@/db/client';

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
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    database = { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    database = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return { status: database.ok ? 'ok' : 'degraded', uptimeSeconds: Math.round(process.uptime()), checks: { database } };
}
