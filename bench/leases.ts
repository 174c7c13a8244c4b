/**
 * `npm run bench:leases [-- --cameras 100,1000 --per-worker 8 --seconds 10]`: what the camera leases
 * cost the database. For each camera count: a throwaway database with that many cameras, one
 * LeaseManager per simulated worker (cameras / per-worker of them, all in this process, sharing one
 * pool of DB_POOL_SIZE connections) against the real MariaDB/MySQL, rounds until the share is even,
 * then every worker's rounds back to back for `--seconds`: statements per round, round latency,
 * rounds/s the server sustained, and what that means at the shipped cadence (a round per TTL/3).
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { claimLeases, ensureLeaseRows, leaseCounts, releaseLease, renewLeases } from '@/lib/data/camera-leases';
import { heartbeatWorker, listWorkers, retireWorker } from '@/lib/data/workers';
import { createLogger } from '@/lib/log';
import { LeaseManager, type LeaseStore } from '@/lib/recognition/lease-manager';
import { startBenchEnvironment } from './bench-env';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '100,1000' },
    'per-worker': { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    ttl: { type: 'string', default: '15' },
  },
});
const TTL_MS = Number(values.ttl) * 1000;
// Statements each store call sends (see lib/data/camera-leases.ts and workers.ts).
const STATEMENTS: Record<keyof LeaseStore, number> = {
  heartbeat: 1,
  ensureRows: 1,
  renew: 2,
  claim: 3,
  release: 1,
  counts: 2,
  workers: 2,
  retire: 1,
};

function countingStore(counter: { statements: number }): LeaseStore {
  const base: LeaseStore = {
    heartbeat: heartbeatWorker,
    ensureRows: ensureLeaseRows,
    renew: renewLeases,
    claim: claimLeases,
    release: releaseLease,
    counts: leaseCounts,
    workers: listWorkers,
    retire: retireWorker,
  };
  const out = {} as Record<keyof LeaseStore, unknown>;
  for (const key of Object.keys(base) as Array<keyof LeaseStore>) {
    out[key] = (...args: unknown[]) => {
      counter.statements += STATEMENTS[key];
      return (base[key] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return out as unknown as LeaseStore;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

async function run(cameras: number): Promise<Record<string, number>> {
  const env = await startBenchEnvironment(`leases-${cameras}`);
  try {
    const db = getDb();
    for (let i = 0; i < cameras; i += 500) {
      const n = Math.min(500, cameras - i);
      await db.execute(
        sql.raw(
          `INSERT INTO cameras (camera_id, name, mode) VALUES ${Array.from({ length: n }, (_, j) => `(UUID(), 'bench-${i + j}', 'push')`).join(',')}`,
        ),
      );
    }
    const workers = Math.ceil(cameras / Number(values['per-worker']));
    const counter = { statements: 0 };
    const store = countingStore(counter);
    const log = createLogger('bench-leases');
    const managers = Array.from(
      { length: workers },
      (_, i) =>
        new LeaseManager({
          workerId: `bench-${String(i).padStart(4, '0')}`,
          internalUrl: 'http://127.0.0.1:1',
          capacity: 1000,
          ttlMs: TTL_MS,
          store,
          log,
        }),
    );
    // Rounds until every camera is held and counts differ by ≤ 1.
    let passes = 0;
    for (;;) {
      passes += 1;
      for (const m of managers) await m.tick();
      const held = managers.map((m) => m.heldCameras().length);
      if (held.reduce((a, b) => a + b, 0) === cameras && Math.max(...held) - Math.min(...held) <= 1) break;
      if (passes > 20) throw new Error(`not balanced after 20 passes: ${held.join(',')}`);
    }
    // Steady state: every worker's rounds back to back, all at once.
    counter.statements = 0;
    const latencies: number[] = [];
    const until = performance.now() + Number(values.seconds) * 1000;
    let rounds = 0;
    await Promise.all(
      managers.map(async (m) => {
        while (performance.now() < until) {
          const t0 = performance.now();
          await m.tick();
          latencies.push(performance.now() - t0);
          rounds += 1;
        }
      }),
    );
    const elapsed = Number(values.seconds);
    const statementsPerRound = counter.statements / rounds;
    const intervalS = TTL_MS / 3000;
    const result = {
      cameras,
      workers,
      balancedAfterPasses: passes,
      statementsPerRound: Number(statementsPerRound.toFixed(2)),
      roundMsP50: Number(pct(latencies, 50).toFixed(1)),
      roundMsP95: Number(pct(latencies, 95).toFixed(1)),
      sustainedRoundsPerS: Math.round(rounds / elapsed),
      sustainedStatementsPerS: Math.round(counter.statements / elapsed),
      // What the shipped cadence asks for: every worker one round per TTL/3.
      neededRoundsPerS: Number((workers / intervalS).toFixed(1)),
      neededStatementsPerS: Math.round((workers / intervalS) * statementsPerRound),
      leaseRowUpdatesPerS: Math.round(cameras / intervalS),
    };
    for (const m of managers) await m.stop();
    return result;
  } finally {
    await env.stop();
  }
}

async function main() {
  const results = [];
  for (const n of String(values.cameras).split(',').map(Number)) results.push(await run(n));
  console.table(results);
  console.log(JSON.stringify(results));
  process.exit(0);
}

void main();
