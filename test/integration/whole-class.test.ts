/**
 * A class is long (STYLE §16): the worker keeps looking at a face it could not recognise yet, carries
 * evidence over when a track breaks, never links two people, and never records a stranger however long
 * they sit there. Real LFW faces of ~32 px (a VGA camera at ~2.3 m), default settings, ffmpeg MJPEG →
 * worker → MariaDB. 18 s of class at 5 fps, four seats:
 *
 * - seat 1: A arrives still moving (blurred: found, but no sighting is recognised) and is called
 *   unknown; A settles at 7 s and, in the same track, is recognised — the row says when A was first
 *   seen (moving), and it appears only after A settled;
 * - seats 2 and 3: B is recognised in seat 2 while C, still moving, sits in seat 3; at 7 s both
 *   stand up, and at 9 s they sit down swapped. C in B's old seat must be recorded as C: a link to B's
 *   recognised track would have hidden C for the rest of the class;
 * - seat 4: a stranger, lit or dim, through the whole class: never recorded, queued for review.
 * (Darkness alone no longer hides a face: the embedder stretches an under-exposed face's contrast.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { unknownFaces } from '@/db/schema';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
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
skipUnlessCi(skip, `whole-class test skipped: ${skip}`);

const FPS = 5;
const FRAMES = 90;
/** A settles and B and C stand up at this frame (7 s); B and C sit down swapped at SWAP (9 s). */
const SETTLED = 35;
const SWAP = 45;
const SEATS = [
  { x: 60, y: 180 },
  { x: 210, y: 170 },
  { x: 360, y: 180 },
  { x: 510, y: 170 },
];
/** Found by the detector (score ~0.99) but not recognised: best cosines 0.13–0.28 on the three students. */
const MOVING = 2;

/** A student in `seat` (`light` and `blur` as in PastedPhoto). */
type Pasted = { photo: string; seat: number; light: number; blur?: number };

describe.skipIf(skip !== null)('a whole class: later looks, broken tracks, seat swaps, a stranger all along', () => {
  useThrowawayDatabase();
  let pool: FaceEnginePool;
  let dir: string;
  let room: Classroom;
  let people: ReturnType<typeof pickNamed>;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'whole-class-'));
    process.env.DATA_DIR = path.join(dir, 'data');
    resetEnvCache();
    resetStorage();
    // The end-to-end test's people (recognised at classroom sizes when lit), and one more enrolled but absent.
    people = pickNamed(lfw as string, [...E2E_ENROLLED, 'Antonio_Banderas'], E2E_STRANGERS);
    pool = await FaceEnginePool.start({ size: 2 });
    // The last student is enrolled but absent; the second stranger is a student of another course.
    port = await freePort();
    room = await setUpClassroom(
      pool,
      { enrolled: people.enrolled, strangers: people.strangers.slice(1) },
      { streamUrl: `http://127.0.0.1:${port}/stream` },
    );
  });

  afterAll(async () => {
    await pool?.close();
    delete process.env.DATA_DIR;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records A once settled (same track), B and C in swapped seats, and never the stranger', async () => {
    const [a, b, c] = people.enrolled.map((p) => p.laterPhotos[0]!);
    const stranger = people.strangers[0]!.photo;
    const frames: Buffer[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const settled = i >= SETTLED;
      const pasted: Pasted[] = [
        { photo: a!, seat: 0, light: 1, blur: settled ? 0 : MOVING },
        { photo: stranger, seat: 3, light: 0.6 + 0.4 * Math.abs(Math.sin(i / 7)) },
      ];
      if (i < SETTLED) pasted.push({ photo: b!, seat: 1, light: 1 }, { photo: c!, seat: 2, light: 1, blur: MOVING });
      else if (i >= SWAP) pasted.push({ photo: c!, seat: 1, light: 1 }, { photo: b!, seat: 2, light: 1 });
      frames.push(await pastedPhotoFrame(pasted.map(({ seat, ...p }) => ({ ...p, ...seatedAt(SEATS, seat, i) }))));
    }
    const pattern = await writeFrames(path.join(dir, 'frames'), frames);

    const ffmpeg = streamFramesWithFfmpeg(pattern, port, FPS, false);
    const controller = new AbortController();
    const pipeline = await startCameraPipeline(
      { pool, settings: env(), log: createLogger('whole-class'), sessionRefreshMs: 1_000 },
      controller.signal,
    );
    const studentOf = (name: string) => [...room.students.values()].find((s) => s.name === name)!.studentId;
    const [nameA, nameB, nameC] = people.enrolled.map((p) => p.name);
    const firstRowAt = new Map<string, number>();
    const streamStarted = Date.now();
    try {
      // The class plus time for the last frames to be analysed on a shared machine.
      const deadline = Date.now() + (FRAMES / FPS) * 1000 + 20_000;
      while (Date.now() < deadline) {
        for (const row of await listAttendanceForSession(room.session.sessionId))
          if (!firstRowAt.has(row.studentId)) firstRowAt.set(row.studentId, Date.now() - streamStarted);
        if ([nameA, nameB, nameC].every((n) => firstRowAt.has(studentOf(n!)))) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      // Keep watching until the stream has ended: the stranger must stay unrecorded for the whole class.
      await ffmpeg.exited;
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      const names = Object.fromEntries([...room.students.values()].map((s) => [s.studentId, s.name]));
      console.info(
        'whole-class stats',
        JSON.stringify(pipeline.stats().cameras[0]),
        [...firstRowAt].map(([id, ms]) => `${names[id]} ${ms} ms`),
      );
      controller.abort();
      await pipeline.stop();
      await ffmpeg.kill();
    }
    const rows = await listAttendanceForSession(room.session.sessionId);
    const by = new Map(rows.map((r) => [r.studentId, r]));
    // Exactly A, B and C: not the absent student, not the stranger, not the other course's student.
    expect(new Set(rows.map((r) => r.studentId))).toEqual(new Set([nameA, nameB, nameC].map((n) => studentOf(n!))));
    const rowA = by.get(studentOf(nameA!))!;
    const rowB = by.get(studentOf(nameB!))!;
    // A was first seen moving, with B (same frames), but recorded only after settling: the same track, looked at again.
    expect(Math.abs(rowA.timestamp.getTime() - rowB.timestamp.getTime())).toBeLessThan(3_000);
    expect(firstRowAt.get(studentOf(nameA!))!).toBeGreaterThan((SETTLED / FPS) * 1000);
    // C was recorded after the swap, in B's old seat.
    expect(firstRowAt.get(studentOf(nameC!))!).toBeGreaterThan((SWAP / FPS) * 1000);
    const queued = await getDb().select().from(unknownFaces).where(eq(unknownFaces.sessionId, room.session.sessionId));
    expect(queued.length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
