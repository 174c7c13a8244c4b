import { listWorkers, type WorkerInfo } from '@/lib/data/workers';
import { env } from '@/lib/env';

export type WorkerHealth = { reachable: true; body: Record<string, unknown> } | { reachable: false; error: string };

/** One worker's /healthz (per-camera stats when the pipeline reports them); never throws, 1 s budget. */
export async function fetchWorkerHealth(
  timeoutMs = 1_000,
  baseUrl = `http://127.0.0.1:${env().WORKER_PORT}`,
): Promise<WorkerHealth> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/healthz`, {
      signal: AbortSignal.timeout(timeoutMs),
      cache: 'no-store',
    });
    const body = (await res.json()) as Record<string, unknown>;
    return { reachable: true, body };
  } catch (err) {
    return { reachable: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export type WorkerState = WorkerInfo & { health: WorkerHealth | null };

/**
 * Every worker in the workers table with its /healthz (live ones only, in parallel, 1 s budget each).
 * With no worker registered yet (an older worker, or none started), the local one is asked as before.
 */
export async function fetchWorkersHealth(
  timeoutMs = 1_000,
): Promise<{ workers: WorkerState[]; health: WorkerHealth[] }> {
  const workers = await listWorkers(env().LEASE_TTL_SECONDS * 1000);
  if (workers.length === 0) return { workers: [], health: [await fetchWorkerHealth(timeoutMs)] };
  const states = await Promise.all(
    workers.map(async (w) => ({ ...w, health: w.live ? await fetchWorkerHealth(timeoutMs, w.internalUrl) : null })),
  );
  return { workers: states, health: states.flatMap((w) => (w.health ? [w.health] : [])) };
}

/** Per-camera stats from health bodies, keyed by camera id, whatever shape the worker nests them in. */
export function cameraStatsFrom(...healths: WorkerHealth[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const health of healths) {
    if (!health.reachable) continue;
    const b = health.body as { cameras?: unknown; checks?: { cameras?: unknown }; pipeline?: { cameras?: unknown } };
    // The worker's /healthz nests them under `pipeline` (workers/main.ts: `pipeline: pipeline.stats()`).
    const raw = b.pipeline?.cameras ?? b.cameras ?? b.checks?.cameras;
    if (Array.isArray(raw)) {
      for (const c of raw as Record<string, unknown>[]) {
        const id = String(c.cameraId ?? c.id ?? '');
        if (id) out[id] = c;
      }
    } else if (raw && typeof raw === 'object') {
      for (const [id, v] of Object.entries(raw as Record<string, unknown>))
        if (v && typeof v === 'object') out[id] = v as Record<string, unknown>;
    }
  }
  return out;
}
