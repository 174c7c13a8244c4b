/**
 * Scale-out with real parts: three worker processes (node + tsx, as pipeline-faults spawns them)
 * share six push cameras through the camera leases in a throwaway MariaDB database. One is killed
 * with SIGKILL, one is paused with SIGSTOP past its lease and resumed. The web side's push route is
 * called in this process and has to find each camera's owner through the workers table. Short lease
 * TTL (LEASE_TTL_SECONDS=3) and notification checks every second are test knobs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import type { Camera } from '@/db/schema';
import { recordAttendance } from '@/lib/data/attendances';
import { claimLeases, type LeaseFence } from '@/lib/data/camera-leases';
import { claimEvent } from '@/lib/data/event-claims';
import { insertUnknownFace, listUnknownFacesForSession } from '@/lib/data/unknown-faces';
import { setCameraPushToken } from '@/lib/data/cameras';
import { generatePushToken } from '@/lib/devices/push-token';
import { resetWorkerTargets } from '@/lib/devices/worker-target';
import { resetEnvCache } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { webhookChannel } from '@/lib/notifications/channels';
import { checkNotifications } from '@/lib/notifications/notification-watch';
import { Notifier } from '@/lib/notifications/notifier';
import { makeCamera, makeCourse, makeSession, makeStudent } from '@/test/factories';
import { runAttendanceCli } from '@/test/helpers/attendance-cli';
import { freePort } from '@/test/helpers/ffmpeg';
import { startRecordingServer, type RecordingServer } from '@/test/helpers/recording-server';
import { useThrowawayDatabase } from './throwaway-db';

vi.mock('@/lib/auth/session', () => ({
  requireUser: () => Promise.reject(new Error('public routes never ask for a session')),
}));
const { POST: postFrame } = await import('@/app/api/devices/[deviceId]/frames/route');

const TTL_S = 3;
const INTERNAL_TOKEN = 'scale-out-internal-token-0123456789';
const WEBHOOK_SECRET = 'scale-out-webhook-secret-0123';
const db = useThrowawayDatabase();

type Worker = { id: string; port: number; child: ChildProcess; url: string };
const workers = new Map<string, Worker>();
let hook: RecordingServer;
let dir: string;
const cameras: Array<{ camera: Camera; token: string }> = [];
let jpeg: Buffer;
const saved = { WORKER_URL: process.env.WORKER_URL, INTERNAL_TOKEN: process.env.INTERNAL_TOKEN };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(
  check: () => Promise<T | false | null | undefined>,
  timeoutMs: number,
  every = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check().catch(() => false as const);
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(every);
  }
}

async function spawnWorker(id: string): Promise<Worker> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: db.url(),
    WORKER_ID: id,
    WORKER_PORT: String(port),
    LEASE_TTL_SECONDS: String(TTL_S),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, id),
    INTERNAL_TOKEN,
    NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
    NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
    NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
    NOTIFY_CHECK_SECONDS: '1',
    // Three workers on one machine: one engine thread each, as the README advises.
    FACE_ENGINE_THREADS: '1',
  } as NodeJS.ProcessEnv;
  delete env.WORKER_URL;
  // One process (node with the tsx loader), so SIGKILL and SIGSTOP reach the worker itself.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'workers/main.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const w = { id, port, child, url: `http://127.0.0.1:${port}` };
  workers.set(id, w);
  return w;
}

type Health = {
  pipeline?: {
    cameras: Array<{ cameraId: string; framesIn: number }>;
    leases: { workerId: string; cameras: string[] };
  };
};
async function health(w: Worker, timeoutMs = 2_000): Promise<Health> {
  const res = await fetch(`${w.url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  return (await res.json()) as Health;
}

/** Valid leases by the database's clock: camera → worker. */
async function owners(): Promise<Map<string, string>> {
  const [rows] = (await getDb().execute(
    sql`SELECT camera_id, worker_id FROM camera_leases WHERE expires_at > NOW(3)`,
  )) as unknown as [Array<{ camera_id: string; worker_id: string }>];
  return new Map(rows.map((r) => [r.camera_id, r.worker_id]));
}
const countsOf = (o: Map<string, string>) => {
  const c = new Map<string, number>();
  for (const w of o.values()) c.set(w, (c.get(w) ?? 0) + 1);
  return c;
};

function push(c: { camera: Camera; token: string }) {
  const init = {
    method: 'POST',
    body: jpeg as BodyInit,
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'image/jpeg' },
  } as RequestInit;
  return postFrame(new Request(`http://test/api/devices/${c.camera.cameraId}/frames`, init), {
    params: Promise.resolve({ deviceId: c.camera.cameraId }),
  });
}

const closedAnnouncements = (sessionId: string) =>
  hook.requests
    .filter((r) => r.url === '/hook')
    .map(
      (r) => JSON.parse(r.body) as { type?: string; sessionId?: string; event?: { type?: string; sessionId?: string } },
    )
    .filter((b) => (b.event ?? b).type === 'session.closed' && (b.event ?? b).sessionId === sessionId);

async function auditCount(sessionId: string): Promise<number> {
  const [rows] = (await getDb().execute(
    sql`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'notification.session_closed' AND entity_id = ${sessionId}`,
  )) as unknown as [Array<{ n: number }>];
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scale-out-'));
  hook = await startRecordingServer();
  delete process.env.WORKER_URL;
  process.env.INTERNAL_TOKEN = INTERNAL_TOKEN;
  resetEnvCache();
  resetWorkerTargets();
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();
});

afterAll(async () => {
  for (const w of workers.values()) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) continue;
    w.child.kill('SIGCONT');
    w.child.kill('SIGKILL');
    await new Promise((r) => w.child.once('exit', r));
  }
  await hook?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetWorkerTargets();
});

describe('fencing and once-only events in the database', () => {
  it('a write carrying a lease that was taken over is refused, and nothing is written', async () => {
    const camera = await makeCamera({ mode: 'push' });
    await getDb().execute(sql`INSERT IGNORE INTO camera_leases (camera_id) VALUES (${camera.cameraId})`);
    const session = await makeSession({ cameraId: camera.cameraId });
    const [ann, bo] = [await makeStudent(), await makeStudent()];
    // Only this camera is free: the other tests' cameras have no lease rows yet.
    const [a] = await claimLeases('worker-a', 1_000, 1);
    expect(a?.cameraId).toBe(camera.cameraId);
    const fenceA: LeaseFence = { cameraId: camera.cameraId, workerId: 'worker-a', generation: a!.generation };
    const seen = { sessionId: session.sessionId, seenAt: new Date(), cameraId: camera.cameraId, confidence: 0.9 };
    expect((await recordAttendance({ ...seen, studentId: ann!.studentId }, fenceA)).created).toBe(true);
    await sleep(1_100); // worker-a is "paused" past its lease
    const [b] = await claimLeases('worker-b', 10_000, 1);
    expect(b).toMatchObject({ cameraId: camera.cameraId, generation: a!.generation + 1 });
    const late = recordAttendance({ ...seen, studentId: bo!.studentId }, fenceA);
    await expect(late).rejects.toBeInstanceOf(AppError);
    await expect(late).rejects.toMatchObject({ code: 'CONFLICT' });
    const unknown = {
      sessionId: session.sessionId,
      cameraId: camera.cameraId,
      storageKey: 'k.jpg',
      embedding: Buffer.alloc(8),
      model: 'm|1',
      seenAt: new Date(),
      kind: 'unknown' as const,
      matchedStudentId: null,
      livenessScore: null,
    };
    await expect(insertUnknownFace(unknown, fenceA)).rejects.toMatchObject({ code: 'CONFLICT' });
    const [rows] = (await getDb().execute(
      sql`SELECT student_id FROM attendances WHERE session_id = ${session.sessionId}`,
    )) as unknown as [Array<{ student_id: string }>];
    expect(rows.map((r) => r.student_id)).toEqual([ann!.studentId]);
    expect(await listUnknownFacesForSession(session.sessionId)).toEqual([]);
    // The new holder's writes go through.
    await insertUnknownFace(unknown, { cameraId: camera.cameraId, workerId: 'worker-b', generation: b!.generation });
    expect(await listUnknownFacesForSession(session.sessionId)).toHaveLength(1);
    await getDb().execute(sql`DELETE FROM cameras WHERE camera_id = ${camera.cameraId}`);
  });

  it('two workers checking at the same moment announce a closed session once', async () => {
    const course = await makeCourse();
    const session = await makeSession({
      courseId: course.courseId,
      startsAt: new Date(Date.now() - 60 * 60_000),
      endsAt: new Date(Date.now() - 60_000),
      status: 'closed',
    });
    await getDb().execute(sql`UPDATE class_sessions SET closed_at = NOW(3) WHERE session_id = ${session.sessionId}`);
    const log = pino({ level: 'silent' });
    const watcher = (id: string) => {
      const notifier = new Notifier([webhookChannel(`${hook.url}/race`, WEBHOOK_SECRET)], {
        log,
        baseDelayMs: 5,
        allowedHosts: ['127.0.0.1'],
      });
      return {
        notifier,
        opts: { notifier, offlineMinutes: 5, arrivals: false, log, claim: (key: string) => claimEvent(key, id) },
      };
    };
    const [a, b] = [watcher('worker-a'), watcher('worker-b')];
    const sent = await Promise.all([
      checkNotifications(a.opts, { arrivalsAfter: new Date() }),
      checkNotifications(b.opts, { arrivalsAfter: new Date() }),
    ]);
    await Promise.all([a.notifier.idle(), b.notifier.idle()]);
    expect(sent.reduce((x, y) => x + y, 0)).toBe(1);
    expect(hook.requests.filter((r) => r.url === '/race')).toHaveLength(1);
    expect(await auditCount(session.sessionId)).toBe(1);
  });
});

describe('three worker processes share six cameras', () => {
  it('no owner yet: a pushed frame is answered 503 with Retry-After', async () => {
    for (let i = 0; i < 6; i++) {
      const camera = await makeCamera({ mode: 'push', name: `scale-cam-${i}` });
      const generated = generatePushToken();
      const { token } = generated;
      await setCameraPushToken(camera.cameraId, generated, null);
      cameras.push({ camera, token });
    }
    const res = await push(cameras[0]!);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/worker/i);
  });

  it('are balanced: every camera owned, counts differ by at most one; cameras list --json shows the owners', async () => {
    await Promise.all(['w1', 'w2', 'w3'].map((id) => spawnWorker(id)));
    const o = await until(async () => {
      const now = await owners();
      const counts = [...countsOf(now).values()];
      return now.size === 6 && counts.length === 3 && Math.max(...counts) - Math.min(...counts) <= 1 ? now : false;
    }, 60_000);
    expect([...countsOf(o).entries()].sort()).toEqual([
      ['w1', 2],
      ['w2', 2],
      ['w3', 2],
    ]);
    const cli = await runAttendanceCli(['cameras', 'list', '--json'], { DATABASE_URL: db.url() });
    expect(cli.code, cli.stderr).toBe(0);
    const listed = JSON.parse(cli.stdout) as Array<Record<string, unknown>>;
    const ours = listed.filter((c) => String(c.name).startsWith('scale-cam-'));
    expect(ours).toHaveLength(6);
    for (const c of ours) {
      expect(Object.keys(c).sort()).toEqual([
        'camera_id',
        'lease_expires_at',
        'mode',
        'name',
        'room',
        'status',
        'worker_id',
      ]);
      expect(c.worker_id).toBe(o.get(String(c.camera_id)));
      expect(new Date(String(c.lease_expires_at)).getTime()).toBeGreaterThan(Date.now() - 5_000);
    }
  }, 90_000);

  it('kill -9 of one worker: the survivors own its cameras within the TTL + 3 s, a pushed frame reaches the new owner, and a session ending as it dies is announced once', async () => {
    const cam = cameras[0]!;
    const victim = workers.get((await owners()).get(cam.camera.cameraId)!)!;
    expect((await push(cam)).status).toBe(202);
    await until(
      async () =>
        ((await health(victim)).pipeline?.cameras.find((c) => c.cameraId === cam.camera.cameraId)?.framesIn ?? 0) >= 1,
      5_000,
    );

    const course = await makeCourse();
    const endsAt = new Date(Date.now() + 1_500);
    const session = await makeSession({
      courseId: course.courseId,
      cameraId: cam.camera.cameraId,
      startsAt: new Date(Date.now() - 30 * 60_000),
      endsAt,
      status: 'open',
    });
    const victimCameras = [...(await owners()).entries()].filter(([, w]) => w === victim.id).map(([c]) => c);
    await sleep(Math.max(0, endsAt.getTime() - Date.now()));
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => victim.child.once('exit', r));
    // Its lease is still valid for a moment, but the worker is gone: the device is told to retry.
    const during = await push(cam);
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).not.toBeNull();

    const o = await until(
      async () => {
        const now = await owners();
        return victimCameras.every((c) => now.has(c) && now.get(c) !== victim.id) && now.size === 6 ? now : false;
      },
      (TTL_S + 5) * 1000,
      100,
    );
    const failoverS = (Date.now() - killedAt) / 1000;
    console.info(`failover after kill -9: ${failoverS.toFixed(2)} s (TTL ${TTL_S} s)`);
    expect(failoverS).toBeLessThanOrEqual(TTL_S + 3);
    expect([...countsOf(o).values()].sort()).toEqual([3, 3]);

    const newOwner = workers.get(o.get(cam.camera.cameraId)!)!;
    const res = await until(async () => {
      const r = await push(cam);
      return r.status === 202 ? r : false;
    }, 5_000);
    expect(res.status).toBe(202);
    await until(
      async () =>
        ((await health(newOwner)).pipeline?.cameras.find((c) => c.cameraId === cam.camera.cameraId)?.framesIn ?? 0) >=
        1,
      5_000,
    );

    await until(async () => closedAnnouncements(session.sessionId).length >= 1, 10_000);
    await sleep(3_000); // every survivor has checked a few more times
    expect(closedAnnouncements(session.sessionId)).toHaveLength(1);
    expect(await auditCount(session.sessionId)).toBe(1);
  }, 60_000);

  it('SIGSTOP past the lease, then SIGCONT: the paused worker has stopped its cameras the moment it runs, nothing is announced twice, and the share evens out again', async () => {
    const live = [...workers.values()].filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    expect(live).toHaveLength(2);
    const before = await owners();
    const [paused, other] = live as [Worker, Worker];
    const pausedCams = [...before.entries()].filter(([, w]) => w === paused.id).map(([c]) => c);
    expect(pausedCams).toHaveLength(3);
    const camOfPaused = cameras.find((c) => c.camera.cameraId === pausedCams[0])!;
    const course = await makeCourse();
    const session = await makeSession({
      courseId: course.courseId,
      cameraId: camOfPaused.camera.cameraId,
      startsAt: new Date(Date.now() - 30 * 60_000),
      endsAt: new Date(Date.now() + 1_000),
      status: 'open',
    });

    paused.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    const taken = await until(
      async () => {
        const now = await owners();
        return now.size === 6 && [...now.values()].every((w) => w === other.id) ? now : false;
      },
      (TTL_S + 5) * 1000,
      100,
    );
    console.info(`takeover from a paused worker: ${((Date.now() - stoppedAt) / 1000).toFixed(2)} s`);
    expect(taken.size).toBe(6);
    await until(async () => closedAnnouncements(session.sessionId).length >= 1, 10_000);
    await sleep(1_000);

    paused.child.kill('SIGCONT');
    // Its very first answer after the pause: no camera held (the deadlines passed while it was stopped).
    const first = await health(paused, 5_000);
    expect(first.pipeline?.leases.cameras).toEqual([]);
    expect(first.pipeline?.cameras ?? []).toEqual([]);

    const again = await until(async () => {
      const now = await owners();
      const counts = [...countsOf(now).values()];
      return now.size === 6 && counts.length === 2 && counts.every((n) => n === 3) ? now : false;
    }, 20_000);
    expect([...countsOf(again).keys()].sort()).toEqual([other.id, paused.id].sort());
    // Never two holders: the paused worker's view and the database agree.
    const view = (await health(paused)).pipeline?.leases.cameras ?? [];
    expect(view.every((c) => again.get(c) === paused.id)).toBe(true);
    const metrics = await (await fetch(`${paused.url}/metrics`)).text();
    const changes = (kind: string) =>
      Number(new RegExp(`camera_lease_changes_total\\{change="${kind}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(changes('expired') + changes('lost')).toBe(3);
    expect(metrics).toMatch(/worker_cameras\{worker_id="/);

    await sleep(2_000); // the resumed worker checks notifications again
    expect(closedAnnouncements(session.sessionId)).toHaveLength(1);
    expect(await auditCount(session.sessionId)).toBe(1);
  }, 60_000);
});
