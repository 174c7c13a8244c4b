import { env } from '@/lib/env';

export type WorkerHealth = { reachable: true; body: Record<string, unknown> } | { reachable: false; error: string };

/** The worker's /healthz (per-camera stats when the pipeline reports them); never throws, 1 s budget. */
export async function fetchWorkerHealth(timeoutMs = 1_000): Promise<WorkerHealth> {
  try {
    const res = await fetch(`${env().WORKER_URL}/healthz`, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    const body = (await res.json()) as Record<string, unknown>;
    return { reachable: true, body };
  } catch (err) {
    return { reachable: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Per-camera stats from the health body, keyed by camera id, whatever shape the worker nests them in. */
export function cameraStatsFrom(health: WorkerHealth): Record<string, Record<string, unknown>> {
  if (!health.reachable) return {};
  // The worker's /healthz nests them under `pipeline` (workers/main.ts: `pipeline: pipeline.stats()`).
  const b = health.body as { cameras?: unknown; checks?: { cameras?: unknown }; pipeline?: { cameras?: unknown } };
  const raw = b.pipeline?.cameras ?? b.cameras ?? b.checks?.cameras;
  const out: Record<string, Record<string, unknown>> = {};
  if (Array.isArray(raw)) {
    for (const c of raw as Record<string, unknown>[]) {
      const id = String(c.cameraId ?? c.id ?? '');
      if (id) out[id] = c;
    }
  } else if (raw && typeof raw === 'object') {
    for (const [id, v] of Object.entries(raw as Record<string, unknown>)) if (v && typeof v === 'object') out[id] = v as Record<string, unknown>;
  }
  return out;
}
