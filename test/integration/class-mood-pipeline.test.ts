/**
 * Class mood through the real worker camera stage, at default settings: a classroom frame of six real
 * LFW faces about 38 px wide (a student ~2 m from an ESP32-CAM), three smiling and three not (the
 * hand labels of test/fixtures/lfw-smile-labels.json, first three of each list), pushed at 5 frames a
 * second to two push cameras: one in a session of a course that turned class mood on, one whose
 * course did not. The first session gets counts — and nothing but counts — the second nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, type Camera, type ClassSession } from '@/db/schema';
import { getSessionMood, setCourseClassMood } from '@/lib/data/session-mood';
import { INTERNAL_TOKEN_HEADER } from '@/lib/devices/internal-frames';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { resetStorage } from '@/lib/storage';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { makeCamera, makeCourse, makeSession, makeUser } from '@/test/factories';
import { composeClassroomFrames } from '@/test/fixtures/classroom-frames';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

const LFW = path.resolve('../shared/faces/lfw-dev');
const hasLfw = existsSync(path.join(LFW, 'known'));
skipUnlessCi(!hasLfw, `[class-mood-pipeline.test] ${LFW} is absent: class mood through the pipeline is skipped`);

describe.skipIf(!hasLfw)('class mood in the camera pipeline (real faces, ~38 px, default settings)', () => {
  useThrowawayDatabase();
  let pool: FaceEnginePool;
  let dir: string;
  let frames: Buffer[];
  const rooms: Array<{ camera: Camera; session: ClassSession; classMood: boolean }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'class-mood-'));
    process.env.DATA_DIR = path.join(dir, 'data');
    resetEnvCache();
    resetStorage();
    const labels = JSON.parse(readFileSync('test/fixtures/lfw-smile-labels.json', 'utf8')) as {
      smiling: string[];
      notSmiling: string[];
    };
    const photos = [...labels.smiling.slice(0, 3), ...labels.notSmiling.slice(0, 3)].map((f) => path.join(LFW, f));
    // A 150 px LFW photo holds a ~55 px face: pasted at 104 px, the face is ~38 px in a 640×480 frame.
    frames = await composeClassroomFrames({
      photos,
      frames: 20,
      width: 640,
      height: 480,
      photoSizes: [104],
      quality: 80,
    });
    pool = await FaceEnginePool.start({ size: 2 });
    const admin = await makeUser({ role: 'admin' });
    for (const classMood of [true, false]) {
      const course = await makeCourse();
      if (classMood) await setCourseClassMood({ courseId: course.courseId, enabled: true, actorUserId: admin.userId });
      const camera = await makeCamera({ mode: 'push' });
      const session = await makeSession({
        courseId: course.courseId,
        cameraId: camera.cameraId,
        startsAt: new Date(Date.now() - 2 * 60_000),
      });
      rooms.push({ camera, session, classMood });
    }
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorUserId, admin.userId), eq(auditLog.action, 'course.class_mood_on')));
    expect(audit).toHaveLength(1);
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    delete process.env.DATA_DIR;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('counts how the class looks for the course that opted in, and nothing for the one that did not', async () => {
    const controller = new AbortController();
    // A mood frame every second instead of every 10 s, so 4 s of frames give several (a test knob of the stage, not an env setting).
    const pipeline = await startCameraPipeline(
      { pool, settings: env(), log: createLogger('class-mood-e2e'), sessionRefreshMs: 1_000, moodIntervalMs: 1_000 },
      controller.signal,
    );
    const server: Server = createServer(
      (req, res) => void (pipeline.handleInternal(req, res) || res.writeHead(404).end()),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const jpeg of frames) {
        for (const r of rooms) {
          const res = await fetch(`${base}/internal/frames/${r.camera.cameraId}`, {
            method: 'POST',
            headers: { [INTERNAL_TOKEN_HEADER]: env().INTERNAL_TOKEN, 'content-type': 'image/jpeg' },
            body: new Uint8Array(jpeg),
          });
          expect(res.status).toBeLessThan(300);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      controller.abort();
      // Stopping writes the counts still in memory.
      await pipeline.stop();
      await new Promise((resolve) => server.close(resolve));
    }
    const [on, off] = rooms;
    const counts = await getSessionMood(on!.session.sessionId);
    expect(counts).not.toBeNull();
    const total = counts!.happy + counts!.neutral + counts!.tired + counts!.other;
    // At least two mood frames of most of the six faces; never more than six per frame pushed.
    expect(total).toBeGreaterThanOrEqual(8);
    expect(total).toBeLessThanOrEqual(6 * frames.length);
    // Three smile, three do not: both kinds are seen.
    expect(counts!.happy).toBeGreaterThan(0);
    expect(counts!.neutral + counts!.other).toBeGreaterThan(0);
    // Eyes of ~38 px faces are ~7 px wide, mostly under the 7.5 px the eye model is given: few are read.
    expect(counts!.eyesRead).toBeLessThanOrEqual(total);
    expect(counts!.tired).toBeLessThanOrEqual(counts!.eyesRead);
    expect(await getSessionMood(off!.session.sessionId)).toBeNull();

    // Counts only: the table has no column that could name a student, a track or a moment.
    const [columns] = (await getDb().execute(
      sql`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'session_mood' ORDER BY ordinal_position`,
    )) as unknown as [Array<{ name: string }>];
    expect(columns.map((c) => c.name)).toEqual([
      'session_id',
      'happy',
      'neutral',
      'tired',
      'other',
      'eyes_read',
      'updated_at',
    ]);
  }, 180_000);
});
