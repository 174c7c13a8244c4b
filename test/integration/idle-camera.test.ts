/**
 * A camera idles while its class sits still (issue 28): once every face in view is recognised and the
 * picture does not change, the worker analyses about one frame a second (the change gate passes over
 * the rest, counted as `gated`), and a student who then walks in is recorded within 10 s. Real LFW
 * faces of ~32 px in a VGA frame, default settings, ffmpeg MJPEG at 5 fps → worker → MariaDB:
 * A and B sit from the start; C walks in at 15 s and sits down.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import type { CameraStats } from '@/lib/recognition/pipeline-stats';
import { resetStorage } from '@/lib/storage';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import {
  E2E_ENROLLED,
  E2E_STRANGERS,
  lfwDevDir,
  pastedPhotoFrame,
  pickNamed,
  seatedAt,
  writeFrames,
} from '@/test/fixtures/classroom-frames';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import { setUpClassroom, streamFramesWithFfmpeg, type Classroom } from '@/test/helpers/pipeline-setup';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

const lfw = lfwDevDir();
const skip = !lfw ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
skipUnlessCi(skip, `idle-camera test skipped: ${skip}`);

const FPS = 5;
const FRAMES = 125;
/** C appears at the door at this frame (15 s) and takes WALK frames to reach their seat. */
const ARRIVE = 75;
const WALK = 5;
/** The idle stretch measured: from 6 s (A and B long recognised) to C's arrival. */
const IDLE_FROM = 30;
const SEATS = [
  { x: 60, y: 180 },
  { x: 210, y: 170 },
  { x: 400, y: 180 },
];
const DOOR = { x: 560, y: 120 };

describe.skipIf(skip !== null)('a camera idling over a still class', () => {
  useThrowawayDatabase();
  let pool: FaceEnginePool;
  let dir: string;
  let room: Classroom;
  let people: ReturnType<typeof pickNamed>;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'idle-camera-'));
    process.env.DATA_DIR = path.join(dir, 'data');
    resetEnvCache();
    resetStorage();
    people = pickNamed(lfw as string, E2E_ENROLLED, E2E_STRANGERS);
    pool = await FaceEnginePool.start({ size: 2 });
    port = await freePort();
    room = await setUpClassroom(
      pool,
      { enrolled: people.enrolled, strangers: [] },
      {
        streamUrl: `http://127.0.0.1:${port}/stream`,
      },
    );
  });

  afterAll(async () => {
    await pool?.close();
    delete process.env.DATA_DIR;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('analyses about one frame a second while all are recognised, and records a student who walks in within 10 s', async () => {
    const [a, b, c] = people.enrolled.map((p) => p.laterPhotos[0]!);
    const frames: Buffer[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const pasted = [
        { photo: a!, ...seatedAt(SEATS, 0, i) },
        { photo: b!, ...seatedAt(SEATS, 1, i) },
      ];
      if (i >= ARRIVE) {
        const step = Math.min(1, (i - ARRIVE) / WALK);
        const seat = seatedAt(SEATS, 2, i);
        pasted.push({
          photo: c!,
          x: Math.round(DOOR.x + step * (seat.x - DOOR.x)),
          y: Math.round(DOOR.y + step * (seat.y - DOOR.y)),
        });
      }
      frames.push(await pastedPhotoFrame(pasted));
    }
    const pattern = await writeFrames(path.join(dir, 'frames'), frames);

    const ffmpeg = streamFramesWithFfmpeg(pattern, port, FPS, false);
    const controller = new AbortController();
    const pipeline = await startCameraPipeline(
      { pool, settings: env(), log: createLogger('idle-camera'), sessionRefreshMs: 1_000 },
      controller.signal,
    );
    const studentOf = (name: string) => [...room.students.values()].find((s) => s.name === name)!.studentId;
    const [nameA, nameB, nameC] = people.enrolled.map((p) => p.name!);
    let idleFrom: CameraStats | null = null;
    let idleTo: CameraStats | null = null;
    let arrivedAt: number | null = null;
    let recordedAt: number | null = null;
    let before: string[] = [];
    try {
      const deadline = Date.now() + (FRAMES / FPS) * 1000 + 30_000;
      while (Date.now() < deadline && recordedAt === null) {
        const s = pipeline.stats().cameras[0];
        if (s && !idleFrom && s.framesIn >= IDLE_FROM) idleFrom = s;
        if (s && !idleTo && s.framesIn >= ARRIVE) {
          // The frames before C, and who was recorded by then.
          idleTo = s;
          arrivedAt = Date.now();
          before = (await listAttendanceForSession(room.session.sessionId)).map((r) => r.studentId);
        }
        if (arrivedAt !== null) {
          const rows = await listAttendanceForSession(room.session.sessionId);
          if (rows.some((r) => r.studentId === studentOf(nameC))) recordedAt = Date.now();
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      console.info(
        'idle-camera stats',
        JSON.stringify({ idleFrom, idleTo, end: pipeline.stats().cameras[0] }),
        arrivedAt !== null && recordedAt !== null ? `C recorded ${recordedAt - arrivedAt} ms after arriving` : '',
      );
      controller.abort();
      await pipeline.stop();
      await ffmpeg.kill();
    }
    // A and B were recorded while the camera still looked at every frame.
    expect(new Set(before)).toEqual(new Set([studentOf(nameA), studentOf(nameB)]));
    // Idle: at most one frame a second plus a full scan every 5 s; the others gated (a full rate would be 5 a second).
    const seconds = (idleTo!.framesIn - idleFrom!.framesIn) / FPS;
    const analysed = idleTo!.processed - idleFrom!.processed;
    const gated = idleTo!.gated - idleFrom!.gated;
    console.info(`idle: ${analysed} frames analysed, ${gated} gated in ${seconds} s`);
    // (A full scan may find a one-off false face next to a student: one more frame to see it gone.)
    expect(analysed).toBeLessThanOrEqual(Math.ceil(seconds) + 2 * Math.ceil(seconds / 5) + 1);
    expect(gated).toBeGreaterThanOrEqual((seconds - 2) * (FPS - 1.5));
    // C walked in while the camera idled, and was recorded within the 10 s.
    expect(recordedAt).not.toBeNull();
    expect(recordedAt! - arrivedAt!).toBeLessThanOrEqual(10_000);
  }, 120_000);
});
