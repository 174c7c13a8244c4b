/**
 * A worker restarted during an open session sees the same unknown faces again. They join the entries
 * already queued for that session and camera (embedding cosine at or over the matcher's threshold)
 * instead of queueing each face a second time ("5 entries for 3 faces"). First the rule on the data
 * module, then with real parts: ffmpeg MJPEG → the worker's camera stage (real engine) → MariaDB, run,
 * stopped, and run again on the same session.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrJoinUnknownFace, listUnknownFacesForSession } from '@/lib/data/unknown-faces';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { getStorage, resetStorage } from '@/lib/storage';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { makeCamera, makeSession } from '@/test/factories';
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
import { setUpClassroom, streamFramesWithFfmpeg } from '@/test/helpers/pipeline-setup';
import { useThrowawayDatabase } from './throwaway-db';

useThrowawayDatabase();

const vector = (...v: number[]) => Buffer.from(new Float32Array(v).buffer);

describe('insertOrJoinUnknownFace', () => {
  it('joins an entry of the same session, camera, kind and model whose embedding is close enough; inserts otherwise', async () => {
    const camera = await makeCamera();
    const other = await makeCamera();
    const session = await makeSession({ cameraId: camera.cameraId });
    const face = (embedding: Buffer, over: Partial<Parameters<typeof insertOrJoinUnknownFace>[0]> = {}) => ({
      sessionId: session.sessionId,
      cameraId: camera.cameraId,
      storageKey: `unknown-faces/x/${crypto.randomUUID()}.jpg`,
      embedding,
      model: 'arcface@1',
      seenAt: new Date(),
      kind: 'unknown' as const,
      ...over,
    });
    const first = await insertOrJoinUnknownFace(face(vector(1, 0, 0, 0)), { joinAbove: 0.5 });
    expect(first.joined).toBe(false);
    // cos = 0.8: the same face again.
    expect(await insertOrJoinUnknownFace(face(vector(0.8, 0.6, 0, 0)), { joinAbove: 0.5 })).toEqual({
      unknownId: first.unknownId,
      joined: true,
    });
    // cos = 0.3: another face.
    expect((await insertOrJoinUnknownFace(face(vector(0.3, 0, 0.954, 0)), { joinAbove: 0.5 })).joined).toBe(false);
    // The same face seen by another camera, as a liveness doubt, or by another model: its own entry.
    expect(
      (await insertOrJoinUnknownFace(face(vector(1, 0, 0, 0), { cameraId: other.cameraId }), { joinAbove: 0.5 }))
        .joined,
    ).toBe(false);
    expect(
      (await insertOrJoinUnknownFace(face(vector(1, 0, 0, 0), { kind: 'suspected_spoof' }), { joinAbove: 0.5 })).joined,
    ).toBe(false);
    expect(
      (await insertOrJoinUnknownFace(face(vector(1, 0, 0, 0), { model: 'other@1' }), { joinAbove: 0.5 })).joined,
    ).toBe(false);
    // Without a threshold (a matcher whose templates are not embeddings) every face is its own entry.
    expect((await insertOrJoinUnknownFace(face(vector(1, 0, 0, 0)))).joined).toBe(false);
    expect(await listUnknownFacesForSession(session.sessionId)).toHaveLength(6);
  });
});

const lfw = lfwDevDir();
const skip = !lfw ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
skipUnlessCi(skip, `unknown faces restart test skipped: ${skip}`);

describe.skipIf(skip !== null)(
  'a worker restarted during an open session does not queue the same unknown faces again',
  () => {
    let pool: FaceEnginePool;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'unknown-restart-'));
      process.env.DATA_DIR = path.join(dir, 'data');
      resetEnvCache();
      resetStorage();
      pool = await FaceEnginePool.start({ size: 2 });
    }, 120_000);

    afterAll(async () => {
      await pool?.close();
      delete process.env.DATA_DIR;
      resetEnvCache();
      resetStorage();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('run, stop, run again on the same session with the same strangers: no new entries', async () => {
      const people = pickNamed(lfw as string, E2E_ENROLLED, E2E_STRANGERS);
      const pattern = await writeFrames(
        path.join(dir, 'strangers'),
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
      const queued = async () => listUnknownFacesForSession(room.session.sessionId);

      /** One worker run: until `unknownDecisions` tracks were decided unknown here (and saved), then stopped. */
      async function run(unknownDecisions: number): Promise<number> {
        const ffmpeg = streamFramesWithFfmpeg(pattern, port, 5, true);
        const controller = new AbortController();
        const pipeline = await startCameraPipeline(
          { pool, settings: env(), log: createLogger('unknown-restart'), sessionRefreshMs: 1_000 },
          controller.signal,
        );
        const decided = () => pipeline.stats().cameras.find((c) => c.cameraId === room.camera.cameraId)?.unknown ?? 0;
        try {
          const deadline = Date.now() + 90_000;
          while (Date.now() < deadline && decided() < unknownDecisions) await new Promise((r) => setTimeout(r, 300));
          return decided();
        } finally {
          controller.abort();
          await pipeline.stop(); // waits for the review entries being saved
          await ffmpeg.kill();
        }
      }

      expect(await run(E2E_STRANGERS.length)).toBeGreaterThanOrEqual(E2E_STRANGERS.length);
      const first = await queued();
      expect(first.length).toBeGreaterThanOrEqual(E2E_STRANGERS.length);
      const crops = (await getStorage().list('unknown-faces/')).length;

      // The restart: the same faces are decided unknown again, at least as many tracks as entries.
      expect(await run(first.length)).toBeGreaterThanOrEqual(first.length);
      const second = await queued();
      expect(second.map((u) => u.unknownId).sort()).toEqual(first.map((u) => u.unknownId).sort());
      // The joined faces' crops were not kept either.
      expect((await getStorage().list('unknown-faces/')).length).toBe(crops);
    });
  },
  240_000,
);
