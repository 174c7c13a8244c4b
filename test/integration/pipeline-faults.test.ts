/**
 * Faults with real parts: the database going away mid-session (a TCP proxy in front of MariaDB that
 * we cut and restore) and the worker process killed with SIGKILL and restarted. Recognitions made
 * meanwhile are written once, never twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db/client';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { resetStorage } from '@/lib/storage';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import {
  E2E_ENROLLED,
  E2E_STRANGERS,
  composeClassroomFrames,
  lfwDevDir,
  pickNamed,
  writeFrames,
} from '@/test/fixtures/classroom-frames';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import { setUpClassroom, streamFramesWithFfmpeg, type Classroom } from '@/test/helpers/pipeline-setup';
import { useThrowawayDatabase } from './throwaway-db';
import { skipUnlessCi } from '@/test/helpers/needs';

const lfw = lfwDevDir();
const skip = !lfw ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
skipUnlessCi(skip, `pipeline fault tests skipped: ${skip}`);

/** A TCP proxy to `target` that can be cut (connections dropped, new ones refused) and restored. */
async function startProxy(target: { host: string; port: number }, port: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const up = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
  };
  await up();
  return { up, down };
}

const until = async (check: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
};

describe.skipIf(skip !== null)(
  'camera pipeline faults',
  () => {
    const db = useThrowawayDatabase();
    let pool: FaceEnginePool;
    let dir: string;
    let pattern: string;
    let people: ReturnType<typeof pickNamed>;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'pipeline-faults-'));
      process.env.DATA_DIR = path.join(dir, 'data');
      resetEnvCache();
      resetStorage();
      people = pickNamed(lfw as string, E2E_ENROLLED, E2E_STRANGERS);
      const frames = await composeClassroomFrames({
        photos: [...people.enrolled.map((p) => p.probePhoto), ...people.strangers.map((s) => s.photo)],
        frames: 30,
        width: 640,
        height: 480,
        photoSizes: [200, 180, 210, 190, 185],
      });
      pattern = await writeFrames(path.join(dir, 'frames'), frames);
      pool = await FaceEnginePool.start({ size: 2 });
    });

    afterAll(async () => {
      await pool?.close();
      delete process.env.DATA_DIR;
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const rowsOf = async (room: Classroom) => listAttendanceForSession(room.session.sessionId);

    it('buffers recognitions while the database is unreachable and writes each exactly once when it is back', async () => {
      const port = await freePort();
      const room = await setUpClassroom(pool, people, { streamUrl: `http://127.0.0.1:${port}/stream` });
      const direct = db.url();
      const proxyPort = await freePort();
      const proxy = await startProxy(
        { host: new URL(direct).hostname, port: Number(new URL(direct).port || 3306) },
        proxyPort,
      );
      const viaProxy = new URL(direct);
      viaProxy.port = String(proxyPort);
      process.env.DATABASE_URL = viaProxy.toString();
      resetEnvCache();
      await closeDb();
      const ffmpeg = streamFramesWithFfmpeg(pattern, port, 5, true);
      const controller = new AbortController();
      // Slow decisions so that none can be written between the first analysed frame and the cut
      // below: 5 sightings, on frames 0, 5, 10, 15 of a track — plus the frames ffmpeg sends in a
      // burst on connect, which are analysed before the track exists (measured: up to 3 in the first
      // 400 ms), so the earliest decision is ~2 s in.
      const evidence = { minSightings: 5, firstVerdictAfter: 8, embedFirst: 1, embedEvery: 5 };
      const pipeline = await startCameraPipeline(
        { pool, settings: env(), log: createLogger('faults'), evidence },
        controller.signal,
      );
      const cam = () => pipeline.stats().cameras[0];
      try {
        // Cut the database once the course gallery is loaded (the first analysed frame loads it).
        expect(await until(async () => (cam()?.processed ?? 0) >= 1, 30_000)).toBe(true);
        await proxy.down();
        expect(
          await until(
            async () => pipeline.stats().writer.buffered >= 1 && pipeline.stats().writer.failedAttempts >= 1,
            40_000,
          ),
        ).toBe(true);
        await new Promise((r) => setTimeout(r, 3_000));
        const during = pipeline.stats().writer;
        console.info('during outage', JSON.stringify(during), JSON.stringify(cam()));
        expect(during.written).toBe(0);
        await proxy.up();
        expect(
          await until(
            async () => (await rowsOf(room)).length >= E2E_ENROLLED.length && pipeline.stats().writer.buffered === 0,
            40_000,
          ),
        ).toBe(true);
      } finally {
        controller.abort();
        await pipeline.stop();
        await ffmpeg.kill();
        // Close our pool before the proxy goes, so no connection of it is cut under a query.
        await closeDb();
        await proxy.down();
        process.env.DATABASE_URL = direct;
        resetEnvCache();
      }
      const rows = await rowsOf(room);
      expect(rows.map((r) => room.students.get(r.studentId)?.name).sort()).toEqual([...E2E_ENROLLED].sort());
    });

    it('a worker killed with SIGKILL and restarted records no duplicates', async () => {
      const port = await freePort();
      const room = await setUpClassroom(pool, people, { streamUrl: `http://127.0.0.1:${port}/stream` });
      const workerEnv = {
        ...process.env,
        DATABASE_URL: db.url(),
        WORKER_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
        DATA_DIR: path.join(dir, 'data'),
      } as NodeJS.ProcessEnv;
      // One process (node with the tsx loader), not the tsx CLI: that CLI runs the worker in a child
      // process, so SIGKILL would only kill the wrapper and leave the real worker running.
      const startWorker = (): ChildProcess =>
        spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'workers/main.ts'], {
          env: workerEnv,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      const isAlive = (pid: number | undefined) => {
        try {
          return pid !== undefined && process.kill(pid, 0);
        } catch {
          return false;
        }
      };
      // -listen 1 serves one client, so each worker gets its own ffmpeg.
      let ffmpeg = streamFramesWithFfmpeg(pattern, port, 5, true);
      let worker = startWorker();
      try {
        expect(await until(async () => (await rowsOf(room)).length >= 1, 90_000)).toBe(true);
        const killed = worker;
        killed.kill('SIGKILL');
        await new Promise((r) => killed.once('exit', r));
        expect(isAlive(killed.pid)).toBe(false);
        await ffmpeg.kill();
        const afterKill = (await rowsOf(room)).length;
        ffmpeg = streamFramesWithFfmpeg(pattern, port, 5, true);
        worker = startWorker();
        expect(await until(async () => (await rowsOf(room)).length >= E2E_ENROLLED.length, 90_000)).toBe(true);
        // Keep it running a little: the already-recorded people are seen again.
        await new Promise((r) => setTimeout(r, 3_000));
        console.info('rows after kill', afterKill);
      } finally {
        if (worker.exitCode === null && worker.signalCode === null) {
          worker.kill('SIGKILL');
          await new Promise((r) => worker.once('exit', r));
        }
        await ffmpeg.kill();
      }
      const rows = await rowsOf(room);
      expect(rows).toHaveLength(E2E_ENROLLED.length);
      expect(new Set(rows.map((r) => r.studentId)).size).toBe(E2E_ENROLLED.length);
    });

    it('a worker killed with SIGKILL while the database is down loses nothing: the journal replays each recognition once', async () => {
      // The gallery is loaded while the database is up (strangers only in view), then the database is
      // cut, the enrolled people come into view, and the worker is killed with their rows unwritten.
      const strangersOnly = await writeFrames(
        path.join(dir, 'strangers-only'),
        await composeClassroomFrames({
          photos: people.strangers.map((s) => s.photo),
          frames: 20,
          width: 640,
          height: 480,
          photoSizes: [200, 180],
        }),
      );
      const port = await freePort();
      const room = await setUpClassroom(pool, people, { streamUrl: `http://127.0.0.1:${port}/stream` });
      const dataDir = path.join(dir, 'journal-data');
      const journalFile = path.join(dataDir, 'journal', 'faults-worker.jsonl');
      const direct = db.url();
      const proxyPort = await freePort();
      const proxy = await startProxy(
        { host: new URL(direct).hostname, port: Number(new URL(direct).port || 3306) },
        proxyPort,
      );
      const viaProxy = new URL(direct);
      viaProxy.port = String(proxyPort);
      const workerPort = await freePort();
      // A worker stops its cameras when it cannot renew their leases for LEASE_TTL_SECONDS (camera
      // leases, README "Scaling"); this outage must stay shorter than the lease for the camera to keep
      // recognising through it, so the lease is longer than the default 15 s here.
      const workerEnv = (databaseUrl: string) =>
        ({
          ...process.env,
          DATABASE_URL: databaseUrl,
          WORKER_PORT: String(workerPort),
          LOG_LEVEL: 'warn',
          NODE_ENV: 'test',
          DATA_DIR: dataDir,
          WORKER_ID: 'faults-worker',
          LEASE_TTL_SECONDS: '90',
        }) as NodeJS.ProcessEnv;
      const startWorker = (databaseUrl: string): ChildProcess =>
        spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'workers/main.ts'], {
          env: workerEnv(databaseUrl),
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      const camera = async () => {
        const res = await fetch(`http://127.0.0.1:${workerPort}/healthz`).catch(() => null);
        const body = (await res?.json().catch(() => null)) as {
          pipeline?: { cameras: Array<{ cameraId: string; processed: number; faces: number }> };
        } | null;
        // The database also holds the cameras of the tests before: pick this room's.
        return body?.pipeline?.cameras.find((c) => c.cameraId === room.camera.cameraId) ?? null;
      };
      const pendingInJournal = () => {
        try {
          const lines = readFileSync(journalFile, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { op: string; id: string });
          const done = new Set(lines.filter((l) => l.op === 'done').map((l) => l.id));
          return lines.filter((l) => l.op === 'add' && !done.has(l.id)).length;
        } catch {
          return 0;
        }
      };
      let ffmpeg = streamFramesWithFfmpeg(strangersOnly, port, 5, true);
      let worker = startWorker(viaProxy.toString());
      try {
        expect(await until(async () => ((await camera())?.faces ?? 0) >= 4, 90_000)).toBe(true);
        await new Promise((r) => setTimeout(r, 1_000)); // the gallery query has long returned
        await proxy.down();
        await ffmpeg.kill();
        ffmpeg = streamFramesWithFfmpeg(pattern, port, 5, true);
        expect(await until(async () => pendingInJournal() >= E2E_ENROLLED.length, 60_000)).toBe(true);
        const killed = worker;
        killed.kill('SIGKILL');
        await new Promise((r) => killed.once('exit', r));
        await ffmpeg.kill();
        expect(await rowsOf(room)).toEqual([]);
        // Restart with the database back and no camera stream: rows can only come from the journal.
        worker = startWorker(direct);
        expect(
          await until(
            async () => (await rowsOf(room)).length >= E2E_ENROLLED.length && pendingInJournal() === 0,
            90_000,
          ),
        ).toBe(true);
      } finally {
        if (worker.exitCode === null && worker.signalCode === null) {
          worker.kill('SIGKILL');
          await new Promise((r) => worker.once('exit', r));
        }
        await ffmpeg.kill();
        await proxy.down();
      }
      const rows = await rowsOf(room);
      expect(rows.map((r) => room.students.get(r.studentId)?.name).sort()).toEqual([...E2E_ENROLLED].sort());
      expect(rows.every((r) => r.source === 'camera' && r.cameraId === room.camera.cameraId)).toBe(true);
    });
  },
  240_000,
);
