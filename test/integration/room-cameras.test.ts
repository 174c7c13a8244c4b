/**
 * A large room with two cameras: the session belongs to the room (no camera of its own), both
 * cameras feed it, and a student both of them recognise is one attendance row. Real engine, real
 * lfw-dev faces, the real camera pipeline with its internal push route, a throwaway database.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { classSessions } from '@/db/schema';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { INTERNAL_TOKEN_HEADER, internalFramesUrl } from '@/lib/devices/internal-frames';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { resetStorage } from '@/lib/storage';
import { startCameraPipeline, type CameraPipeline } from '@/workers/camera-pipeline';
import { composeClassroomFrames, lfwDevDir, pickNamed } from '@/test/fixtures/classroom-frames';
import { makeCamera } from '@/test/factories';
import { setUpClassroom, type Classroom } from '@/test/helpers/pipeline-setup';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

const lfw = lfwDevDir();
skipUnlessCi(lfw ? null : 'needs ../shared/faces/lfw-dev', 'room cameras test skipped: needs ../shared/faces/lfw-dev');

describe.skipIf(!lfw)(
  'a room with two cameras',
  () => {
    useThrowawayDatabase();
    let dir: string;
    let pool: FaceEnginePool;
    let room: Classroom;
    let pipeline: CameraPipeline;
    let server: Server;
    const controller = new AbortController();
    let frames: Buffer[];
    let back: Awaited<ReturnType<typeof makeCamera>>;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'room-cameras-'));
      process.env.DATA_DIR = path.join(dir, 'data');
      resetEnvCache();
      resetStorage();
      const people = pickNamed(lfw as string, ['Ana_Guevara'], ['AJ_Cook']);
      pool = await FaceEnginePool.start({ size: 2 });
      // Both cameras see the same student (front and back of the hall), a few frames each.
      frames = await composeClassroomFrames({
        photos: [people.enrolled[0]!.probePhoto],
        frames: 12,
        width: 640,
        height: 480,
        photoSizes: [200],
      });
      room = await setUpClassroom(pool, people, { mode: 'push', name: 'hall-front' });
      back = await makeCamera({ mode: 'push', name: 'hall-back', room: room.camera.room });
      // The session is the room's, not a camera's.
      await getDb()
        .update(classSessions)
        .set({ cameraId: null, room: room.camera.room })
        .where(eq(classSessions.sessionId, room.session.sessionId));
      pipeline = await startCameraPipeline(
        { pool, settings: env(), log: createLogger('room-cameras'), sessionRefreshMs: 1_000 },
        controller.signal,
      );
      server = createServer((req, res) => void (pipeline.handleInternal(req, res) || res.writeHead(404).end()));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      controller.abort();
      await pipeline?.stop();
      await pool?.close();
      delete process.env.DATA_DIR;
      if (dir) await rm(dir, { recursive: true, force: true });
    }, 30_000);

    it('records a student both cameras recognise once', async () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const stats = (cameraId: string) => pipeline.stats().cameras.find((c) => c.cameraId === cameraId);
      expect(stats(room.camera.cameraId)).toBeDefined();
      expect(stats(back.cameraId)).toBeDefined();
      const deadline = Date.now() + 60_000;
      // Push the frames to both cameras, 5 per second, until each has recognised the student.
      for (let i = 0; Date.now() < deadline; i++) {
        const jpeg = frames[i % frames.length]!;
        for (const cameraId of [room.camera.cameraId, back.cameraId]) {
          const res = await fetch(internalFramesUrl(base, cameraId), {
            method: 'POST',
            body: new Uint8Array(jpeg),
            headers: { 'content-type': 'image/jpeg', [INTERNAL_TOKEN_HEADER]: env().INTERNAL_TOKEN },
          });
          expect(res.status).toBe(202);
        }
        if (
          (stats(room.camera.cameraId)?.recognized ?? 0) >= 1 &&
          (stats(back.cameraId)?.recognized ?? 0) >= 1 &&
          pipeline.stats().writer.buffered === 0 &&
          pipeline.stats().writer.written >= 2
        )
          break;
        await new Promise((r) => setTimeout(r, 200));
      }
      console.info(
        'room cameras',
        JSON.stringify(stats(room.camera.cameraId)),
        JSON.stringify(stats(back.cameraId)),
        JSON.stringify(pipeline.stats().writer),
      );
      // Both cameras decided the track and both writes reached the database...
      expect(stats(room.camera.cameraId)?.recognized).toBeGreaterThanOrEqual(1);
      expect(stats(back.cameraId)?.recognized).toBeGreaterThanOrEqual(1);
      expect(pipeline.stats().writer.written).toBeGreaterThanOrEqual(2);
      // ...and the student is one row of the room's session, from whichever camera saw them first.
      const rows = await listAttendanceForSession(room.session.sessionId);
      expect(rows).toHaveLength(1);
      expect(room.students.get(rows[0]!.studentId)?.name).toBe('Ana_Guevara');
      expect([room.camera.cameraId, back.cameraId]).toContain(rows[0]!.cameraId);
    });
  },
  120_000,
);
