/**
 * UXGA (1600×1200) is a supported camera configuration, pulled and pushed, at default settings: a
 * far-row student — a ~40 px face in a 1600×1200 frame, what an OV2640 at UXGA sees at ~4.6 m (185/d) —
 * is recorded from an ffmpeg MJPEG stream (ESP32 boundary, 2 fps, as UXGA streams over Wi-Fi) and from
 * frames pushed through the device route → worker hand-off, each camera in its own session. A stranger
 * of the same size beside them (a student of another course, with templates) is never recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setCameraPushToken } from '@/lib/data/cameras';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { generatePushToken } from '@/lib/devices/push-token';
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
import { skipUnlessCi } from '@/test/helpers/needs';
import {
  photoSizesForFaceWidths,
  setUpClassroom,
  streamFramesWithFfmpeg,
  type Classroom,
} from '@/test/helpers/pipeline-setup';
import { useThrowawayDatabase } from './throwaway-db';

vi.mock('@/lib/auth/session', () => ({
  requireUser: () => Promise.reject(new Error('public routes never ask for a session')),
}));
const { POST: postFrame } = await import('@/app/api/devices/[deviceId]/frames/route');

const lfw = lfwDevDir();
const skip = !lfw ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
skipUnlessCi(skip, `uxga-camera skipped: ${skip}`);

const WIDTH = 1600,
  HEIGHT = 1200,
  FPS = 2,
  FACE_PX = 40;
/** Seconds of frames within which both cameras must have recorded the student (2-core VM, shared). */
const BUDGET_S = 40;
const INTERNAL_TOKEN = 'uxga-test-internal-token-0123456789';

describe.skipIf(skip !== null)('UXGA cameras, pull and push, default settings', () => {
  useThrowawayDatabase();
  let pool: FaceEnginePool;
  let dir: string;
  let frames: Buffer[];
  let pattern: string;
  let port: number;
  let pull: Classroom;
  let push: Classroom;
  let pushToken: string;
  let student: string;
  const saved = { WORKER_URL: process.env.WORKER_URL, INTERNAL_TOKEN: process.env.INTERNAL_TOKEN };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'uxga-camera-'));
    process.env.DATA_DIR = path.join(dir, 'data');
    process.env.INTERNAL_TOKEN = INTERNAL_TOKEN;
    resetEnvCache();
    resetStorage();
    const people = pickNamed(lfw as string, E2E_ENROLLED.slice(0, 1), E2E_STRANGERS.slice(0, 1));
    student = people.enrolled[0]!.name;
    // The student in two poses (their 4th and 5th photos), the stranger beside them, both ~40 px.
    const seats = [people.enrolled[0]!.laterPhotos.slice(0, 2), [people.strangers[0]!.photo]];
    pool = await FaceEnginePool.start({ size: 2 });
    frames = await composeClassroomFrames({
      photos: seats,
      frames: 12,
      width: WIDTH,
      height: HEIGHT,
      photoSizes: await photoSizesForFaceWidths(pool, seats, [FACE_PX, FACE_PX]),
    });
    pattern = await writeFrames(path.join(dir, 'frames'), frames);
    port = await freePort();
    pull = await setUpClassroom(pool, people, { streamUrl: `http://127.0.0.1:${port}/stream` });
    push = await setUpClassroom(pool, people, { mode: 'push' });
    const generated = generatePushToken();
    pushToken = generated.token;
    await setCameraPushToken(push.camera.cameraId, generated, null);
  });

  afterAll(async () => {
    await pool?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    delete process.env.DATA_DIR;
    resetEnvCache();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the frames are 1600×1200 with the faces ~40 px wide', async () => {
    expect(await sharp(frames[0]).metadata()).toMatchObject({ width: WIDTH, height: HEIGHT });
    const { faces } = await pool.analyzeFrame(frames[0]!, { minFaceSize: env().CAMERA_MIN_FACE_SIZE });
    expect(faces).toHaveLength(2);
    for (const f of faces) expect(Math.abs(f.face.box.width - FACE_PX)).toBeLessThanOrEqual(6);
  });

  it('records the far-row student from the pulled stream and from pushed frames; never the stranger', async () => {
    const controller = new AbortController();
    const pipeline = await startCameraPipeline(
      { pool, settings: env(), log: createLogger('uxga-test'), sessionRefreshMs: 1_000 },
      controller.signal,
    );
    // The web app's push route hands frames to this worker's internal route, as in production.
    const worker: Server = createServer(
      (req, res) => void (pipeline.handleInternal(req, res) || res.writeHead(404).end()),
    );
    await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
    process.env.WORKER_URL = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
    resetEnvCache();
    const ffmpeg = streamFramesWithFfmpeg(pattern, port, FPS, true);
    const recorded = async (room: Classroom) =>
      (await listAttendanceForSession(room.session.sessionId)).map((r) => room.students.get(r.studentId)?.name);
    const started = Date.now();
    const after: Record<'pull' | 'push', number | null> = { pull: null, push: null };
    const statuses: number[] = [];
    try {
      for (let i = 0; Date.now() - started < BUDGET_S * 1000; i++) {
        const res = await postFrame(
          new Request(`http://test/api/devices/${push.camera.cameraId}/frames`, {
            method: 'POST',
            body: new Uint8Array(frames[i % frames.length]!),
            headers: { authorization: `Bearer ${pushToken}`, 'content-type': 'image/jpeg' },
          }),
          { params: Promise.resolve({ deviceId: push.camera.cameraId }) },
        );
        statuses.push(res.status);
        for (const [kind, room] of [
          ['pull', pull],
          ['push', push],
        ] as const)
          if (after[kind] === null && (await recorded(room)).includes(student))
            after[kind] = (Date.now() - started) / 1000;
        if (after.pull !== null && after.push !== null) break;
        await new Promise((r) => setTimeout(r, 1000 / FPS));
      }
    } finally {
      controller.abort();
      await pipeline.stop();
      await ffmpeg.kill();
      await new Promise((resolve) => worker.close(resolve));
    }
    console.info(`uxga: student recorded after ${after.pull ?? 'never'} s (pull), ${after.push ?? 'never'} s (push)`);
    expect(new Set(statuses)).toEqual(new Set([202]));
    for (const room of [pull, push]) {
      const rows = await listAttendanceForSession(room.session.sessionId);
      expect(rows.map((r) => room.students.get(r.studentId)?.name)).toEqual([student]);
      expect(rows[0]).toMatchObject({ source: 'camera', cameraId: room.camera.cameraId, status: 'present' });
      expect(rows.some((r) => room.outsiders.some((o) => o.studentId === r.studentId))).toBe(false);
    }
  }, 90_000);
});

// The README's claim that the firmware's FRAME_SIZE accepts UXGA, checked against its source.
it('the ESP32-CAM firmware offers UXGA (1600×1200) as a FRAME_SIZE', () => {
  const table = readFileSync(path.resolve('firmware/esp32-cam/src/frame_size.cpp'), 'utf8');
  expect(table).toMatch(/\{"UXGA", 1600, 1200\}/);
});
