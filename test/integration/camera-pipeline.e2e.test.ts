/**
 * End to end with real parts and default settings: a 640×480 classroom frame with 10 LFW faces
 * 40–70 px wide (what an ESP32-CAM sees from ~1–2 m) → ffmpeg MJPEG stream with the ESP32 boundary →
 * worker camera stage (real engine pool, tracker, votes) → MariaDB. The 6 enrolled people present are
 * recorded once, the 2 enrolled but absent are not, and the 4 strangers never are (one of them is a
 * student of another course, with templates); a second run adds nothing. Each present student is seen
 * in two poses (their 4th and 5th photos), as a camera sees a face over a few seconds; one hard photo
 * alone (cosine below the threshold even at full size happens for ~4 % of lfw-dev probes) cannot then
 * hide them. People are picked by a fixed rule (every 7th known identity, every 11th stranger), not
 * by hand. Measured: all 6 recorded 2.6 s after the stream started (2-core VM); the budget is 30 s.
 *
 * The scene runs twice: with every frame, and with every 4th frame lost, as when a loaded machine
 * drops frames. Then each track's opening looks fall on other poses: in CI one student's first six
 * looks held one clear look, the last, so they were reported unknown and recorded only after 50 s.
 * Measured with the clear look holding the track for a second one: see the README's small-faces table.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { unknownFaces } from '@/db/schema';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { INTERNAL_TOKEN_HEADER } from '@/lib/devices/internal-frames';
import { lastFrameUrl } from '@/lib/devices/internal-last-frame';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { resetStorage } from '@/lib/storage';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { composeClassroomFrames, lfwDevDir, pickPeople, writeFrames } from '@/test/fixtures/classroom-frames';
import { ffmpegAvailable, freePort } from '@/test/helpers/ffmpeg';
import {
  photoSizesForFaceWidths,
  setUpClassroom,
  streamFramesWithFfmpeg,
  type Classroom,
} from '@/test/helpers/pipeline-setup';
import { useThrowawayDatabase } from './throwaway-db';
import { skipUnlessCi } from '@/test/helpers/needs';

const lfw = lfwDevDir();
const skip = !lfw ? 'needs ../shared/faces/lfw-dev' : !ffmpegAvailable() ? 'needs ffmpeg' : null;
skipUnlessCi(skip, `camera-pipeline e2e skipped: ${skip}`);

const PRESENT = 6,
  ABSENT = 2,
  STRANGERS = 4;
/** Face widths in the frame, cycled over the 10 people shown: 40–70 px. */
const FACE_WIDTHS = [40, 58, 46, 70, 52, 64, 43, 61, 49, 67];
/** Seconds of streaming (5 fps) within which every present student must be recorded. */
const BUDGET_S = 30;

describe.skipIf(skip !== null).each([
  { lost: 0, frames: 'every frame' },
  { lost: 4, frames: 'every 4th frame lost' },
])(
  'camera pipeline end to end (ffmpeg MJPEG → worker → MariaDB), $frames',
  ({ lost }) => {
    useThrowawayDatabase();
    let pool: FaceEnginePool;
    let dir: string;
    let pattern: string;
    let port: number;
    let room: Classroom;
    let present: string[];

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'pipeline-e2e-'));
      process.env.DATA_DIR = path.join(dir, 'data');
      resetEnvCache();
      resetStorage();
      const people = pickPeople(lfw as string, { enrolled: PRESENT + ABSENT, strangers: STRANGERS });
      present = people.enrolled.slice(0, PRESENT).map((p) => p.name);
      // Each present student is seen in 2 poses (their 4th and 5th photos, 3 frames each), as a camera
      // sees a student over a few seconds; strangers have one photo each.
      const shown = [
        ...people.enrolled.slice(0, PRESENT).map((p) => p.laterPhotos.slice(0, 2)),
        ...people.strangers.map((s) => [s.photo]),
      ];
      pool = await FaceEnginePool.start({ size: 2 });
      const frames = await composeClassroomFrames({
        photos: shown,
        frames: 48,
        width: 640,
        height: 480,
        photoSizes: await photoSizesForFaceWidths(pool, shown, FACE_WIDTHS),
      });
      const streamed = lost ? frames.filter((_, i) => i % lost !== lost - 1) : frames;
      pattern = await writeFrames(path.join(dir, 'frames'), streamed);
      port = await freePort();
      room = await setUpClassroom(pool, people, { streamUrl: `http://127.0.0.1:${port}/stream` });
    });

    afterAll(async () => {
      await pool?.close();
      delete process.env.DATA_DIR;
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** Streams the frames in a loop until `done()` holds (or the time is up); the machine may be shared. */
    type Pipeline = Awaited<ReturnType<typeof startCameraPipeline>>;
    async function runUntil(
      done: (processed: number) => Promise<boolean>,
      timeoutMs = 60_000,
      inspect?: (pipeline: Pipeline) => Promise<void>,
    ): Promise<void> {
      const ffmpeg = streamFramesWithFfmpeg(pattern, port, 5, true);
      const controller = new AbortController();
      const pipeline = await startCameraPipeline(
        { pool, settings: env(), log: createLogger('e2e'), sessionRefreshMs: 1_000 },
        controller.signal,
      );
      const stats = () => pipeline.stats().cameras.find((c) => c.cameraId === room.camera.cameraId);
      try {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline && !(await done(stats()?.processed ?? 0)))
          await new Promise((r) => setTimeout(r, 500));
        console.info('e2e camera stats', JSON.stringify(stats()), JSON.stringify(pipeline.stats().writer));
        await inspect?.(pipeline);
      } finally {
        controller.abort();
        await pipeline.stop();
        await ffmpeg.kill();
      }
    }

    const unknownCount = async () =>
      (await getDb().select().from(unknownFaces).where(eq(unknownFaces.sessionId, room.session.sessionId))).length;

    it('records exactly the enrolled people present, within the time budget: not the absent, no strangers, one unknown crop per stranger track', async () => {
      // Strangers are decided "unknown" after 6 votes, so keep going a few frames after all are stored.
      let settled = 0;
      const started = Date.now();
      let allPresentAfterS: number | null = null;
      await runUntil(
        async (processed) => {
          const recorded = (await listAttendanceForSession(room.session.sessionId)).length;
          if (recorded >= PRESENT && allPresentAfterS === null) allPresentAfterS = (Date.now() - started) / 1000;
          const done = recorded >= PRESENT && (await unknownCount()) >= STRANGERS;
          settled = done ? settled || processed : 0;
          return done && processed >= settled + 5;
        },
        BUDGET_S * 1000 + 20_000,
        async (pipeline) => {
          // The cameras page's live view, through the worker's real internal route.
          const server = createServer(
            (req, res) => void (pipeline.handleInternal(req, res) || res.writeHead(404).end()),
          );
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
          try {
            const url = lastFrameUrl(
              `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
              room.camera.cameraId,
            );
            expect((await fetch(url)).status).toBe(401);
            const res = await fetch(url, { headers: { [INTERNAL_TOKEN_HEADER]: env().INTERNAL_TOKEN } });
            expect(res.status).toBe(200);
            // A camera id that is not valid URL encoding: 401 without the token, 400 with it; never a crash.
            const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
            const token = { [INTERNAL_TOKEN_HEADER]: env().INTERNAL_TOKEN };
            expect((await fetch(`${base}/internal/cameras/%ZZ/last-frame`)).status).toBe(401);
            expect((await fetch(`${base}/internal/cameras/%ZZ/last-frame`, { headers: token })).status).toBe(400);
            expect((await fetch(`${base}/internal/frames/%ZZ`, { method: 'POST' })).status).toBe(401);
            const bad = await fetch(`${base}/internal/frames/%ZZ`, {
              method: 'POST',
              headers: { ...token, 'content-type': 'image/jpeg' },
              body: new Uint8Array([0xff, 0xd8]),
            });
            expect(bad.status).toBe(400);
            expect(await bad.json()).toEqual({ error: 'the camera id in the path is not valid URL encoding' });
            expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({
              format: 'jpeg',
              width: 640,
              height: 480,
            });
          } finally {
            await new Promise((resolve) => server.close(resolve));
          }
        },
      );
      const rows = await listAttendanceForSession(room.session.sessionId);
      console.info(
        `e2e: all ${PRESENT} present students recorded after ${allPresentAfterS ?? 'never'} s (budget ${BUDGET_S} s)`,
      );
      expect(rows.map((r) => room.students.get(r.studentId)?.name).sort()).toEqual([...present].sort());
      expect(allPresentAfterS).not.toBeNull();
      expect(allPresentAfterS!).toBeLessThanOrEqual(BUDGET_S);
      expect(
        rows.every((r) => r.source === 'camera' && r.cameraId === room.camera.cameraId && r.status === 'present'),
      ).toBe(true);
      expect(rows.some((r) => room.outsiders.some((o) => o.studentId === r.studentId))).toBe(false);
      // One crop per stranger track. Abraham_Foxman's LFW photo also shows a bystander behind him
      // (a 29 px face the UltraFace detector finds with score 0.99): a real stranger, so a third crop
      // is right whenever that face is large enough in the frame to be found; never more than that.
      const unknowns = await unknownCount();
      expect(unknowns).toBeGreaterThanOrEqual(STRANGERS);
      expect(unknowns).toBeLessThanOrEqual(STRANGERS + 1);
    });

    it('a second run over the same session records no duplicates and keeps the first sighting', async () => {
      const before = await listAttendanceForSession(room.session.sessionId);
      await runUntil(async () =>
        (await listAttendanceForSession(room.session.sessionId)).some(
          (r, i) => r.lastSeen.getTime() > (before[i]?.lastSeen.getTime() ?? Infinity),
        ),
      );
      const after = await listAttendanceForSession(room.session.sessionId);
      expect(after).toHaveLength(before.length);
      expect(after.map((r) => [r.studentId, r.timestamp.getTime()]).sort()).toEqual(
        before.map((r) => [r.studentId, r.timestamp.getTime()]).sort(),
      );
      expect(after.some((r, i) => r.lastSeen.getTime() > (before[i]?.lastSeen.getTime() ?? Infinity))).toBe(true);
    });
  },
  180_000,
);
