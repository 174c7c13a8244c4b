import { z } from 'zod';
import { listWorkers, type WorkerInfo } from '@/lib/data/workers';
import { INTERNAL_TOKEN_HEADER } from '@/lib/devices/internal-frames';
import { env } from '@/lib/env';
import type { MessageKey } from '@/lib/i18n/dictionary';

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
      // A worker on another host answers /healthz only with the internal token.
      headers: { [INTERNAL_TOKEN_HEADER]: env().INTERNAL_TOKEN },
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

/** The figures the cameras page shows for a camera, in this order, each with its words in the dictionary. */
const STAT_ROWS = [
  ['state', 'stats.state'],
  ['framesIn', 'stats.framesIn'],
  ['processed', 'stats.processed'],
  ['gated', 'stats.gated'],
  ['dropped', 'stats.dropped'],
  ['faces', 'stats.faces'],
  ['recognized', 'stats.recognized'],
  ['unknown', 'stats.unknown'],
  ['recorded', 'stats.recorded'],
  ['reconnects', 'stats.reconnects'],
  ['analyzeErrors', 'stats.analyzeErrors'],
  ['lastFrameAt', 'stats.lastFrameAt'],
] as const satisfies readonly (readonly [string, MessageKey])[];

export type StatRow =
  | { key: (typeof STAT_ROWS)[number][1]; kind: 'count'; value: number }
  | { key: (typeof STAT_ROWS)[number][1]; kind: 'time' | 'text'; value: string };

/**
 * A camera's worker figures as rows a person reads ("Frames received: 1 204"), in a fixed order:
 * only the known figures the worker reported with a usable value (identity and the last error are
 * shown elsewhere on the page, and a newer worker's extra fields are not dumped raw).
 */
export function cameraStatRows(stats: Record<string, unknown> | undefined): StatRow[] {
  if (!stats) return [];
  const rows: StatRow[] = [];
  for (const [field, key] of STAT_ROWS) {
    const v = stats[field];
    if (field === 'lastFrameAt') {
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) rows.push({ key, kind: 'time', value: v });
    } else if (field === 'state') {
      if (typeof v === 'string' && v) rows.push({ key, kind: 'text', value: v });
    } else if (typeof v === 'number' && Number.isFinite(v)) rows.push({ key, kind: 'count', value: v });
  }
  return rows;
}

/** What the cameras page shows of a worker's load (`pipeline.leases.load` in its /healthz, lease-manager.ts). */
const workerLoadSchema = z.object({
  windowSeconds: z.number(),
  cameras: z.number(),
  arrivedPerSecond: z.number(),
  analysedPerSecond: z.number(),
  analysedShare: z.number().nullable(),
  oldestQueueAgeMs: z.number().nullable(),
  judged: z.boolean(),
  saturated: z.boolean(),
  capacity: z.number(),
  maxCapacity: z.number(),
  capacityReason: z.enum(['room', 'measuring', 'saturated', 'overloaded', 'limit']),
});
export type WorkerLoadFigures = z.infer<typeof workerLoadSchema>;

/** A worker's load figures from its /healthz; null when unreachable or an older worker that does not report them. */
export function workerLoadFrom(health: WorkerHealth | null): WorkerLoadFigures | null {
  if (!health?.reachable) return null;
  const raw = (health.body as { pipeline?: { leases?: { load?: unknown } } }).pipeline?.leases?.load;
  const parsed = workerLoadSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
