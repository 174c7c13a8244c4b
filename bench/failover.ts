/**
 * `npm run bench:failover [-- --kills 10 --cameras 6 --ttl 15]`: failover time of the camera leases
 * with real worker processes. Two workers (node + tsx, as the integration tests spawn them) share the
 * cameras of a throwaway database; the worker holding the first camera is killed with SIGKILL, the
 * time until the survivor holds every camera is measured, the killed one is started again, and so on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { freePort } from '@/test/helpers/ffmpeg';
import { startBenchEnvironment } from './bench-env';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '10' },
    cameras: { type: 'string', default: '6' },
    ttl: { type: 'string', default: '15' },
  },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function owners(): Promise<Map<string, string>> {
  const [rows] = (await getDb().execute(
    sql`SELECT camera_id, worker_id FROM camera_leases WHERE expires_at > NOW(3)`,
  )) as unknown as [Array<{ camera_id: string; worker_id: string }>];
  return new Map(rows.map((r) => [r.camera_id, r.worker_id]));
}

async function main() {
  const env = await startBenchEnvironment('failover');
  const cameras = Number(values.cameras);
  const workers = new Map<string, ChildProcess>();
  const start = async (id: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'workers/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: env.url,
        WORKER_ID: id,
        WORKER_PORT: String(await freePort()),
        LEASE_TTL_SECONDS: values.ttl,
        LOG_LEVEL: 'error',
        DATA_DIR: path.join(env.dataDir, id),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.set(id, child);
  };
  const times: number[] = [];
  try {
    await getDb().execute(
      sql.raw(
        `INSERT INTO cameras (camera_id, name, mode) VALUES ${Array.from({ length: cameras }, (_, i) => `(UUID(), 'failover-${i}', 'push')`).join(',')}`,
      ),
    );
    await Promise.all(['a', 'b'].map(start));
    for (let k = 0; k < Number(values.kills); k++) {
      // Steady state first: both workers up and sharing.
      for (;;) {
        const o = await owners();
        if (o.size === cameras && new Set(o.values()).size === 2) break;
        await sleep(200);
      }
      const o = await owners();
      const victim = [...o.values()][0] as string;
      const child = workers.get(victim)!;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      const t0 = Date.now();
      await exited;
      for (;;) {
        const now = await owners();
        if (now.size === cameras && [...now.values()].every((w) => w !== victim)) break;
        await sleep(50);
      }
      times.push((Date.now() - t0) / 1000);
      console.log(`kill ${k + 1}: survivor holds all ${cameras} cameras after ${times.at(-1)!.toFixed(2)} s`);
      await start(victim);
    }
  } finally {
    for (const c of workers.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sleep(500);
    await env.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      ttlSeconds: Number(values.ttl),
      kills: times.length,
      min: sorted[0],
      median: sorted[Math.floor(sorted.length / 2)],
      max: sorted.at(-1),
      times,
    }),
  );
  process.exit(0);
}

void main();
