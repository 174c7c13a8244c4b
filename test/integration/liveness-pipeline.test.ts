/**
 * Liveness through the real worker camera stage on real NUAA training frames, at default settings:
 * a student enrolled from 3 of their live webcam frames, then a printed photo of them held up to the
 * camera (NUAA spoof frames), pushed as JPEG frames to four push cameras, one per liveness mode.
 * - block: nothing recorded; the track lands in the review queue as a suspected spoof of that student;
 * - block, live frames: recorded, unmarked (block does not stop real students);
 * - flag: recorded and marked "liveness doubtful";
 * - off: recorded as before (no score, no mark).
 * Then the lecturer's verdicts, each audited. The subject is the first NUAA subject (a fixed rule).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, unknownFaces, type Camera, type ClassSession, type LivenessMode, type Student } from '@/db/schema';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { reviewDoubtfulAttendance, reviewSuspectedSpoof } from '@/lib/data/liveness-review';
import { INTERNAL_TOKEN_HEADER } from '@/lib/devices/internal-frames';
import { env, resetEnvCache } from '@/lib/env';
import { FaceEnginePool } from '@/lib/face/engine-pool';
import { createLogger } from '@/lib/log';
import { getStorage, resetStorage } from '@/lib/storage';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { makeCamera, makeCourse, makeSession, makeStudent, makeUser } from '@/test/factories';
import { enrollPhotos } from '@/test/helpers/pipeline-setup';
import { skipUnlessCi } from '@/test/helpers/needs';
import { useThrowawayDatabase } from './throwaway-db';

const NUAA = path.resolve('../shared/liveness/nuaa-train');
const hasNuaa = existsSync(path.join(NUAA, 'live')) && existsSync(path.join(NUAA, 'spoof'));
skipUnlessCi(!hasNuaa, `[liveness-pipeline.test] ${NUAA} is absent: liveness through the pipeline is skipped`);

const byName = new Intl.Collator('en', { numeric: true }).compare;
const frames = (label: 'live' | 'spoof', subject: string) =>
  readdirSync(path.join(NUAA, label, subject))
    .sort(byName)
    .map((f) => path.join(NUAA, label, subject, f));

type Room = { mode: LivenessMode; shows: 'live' | 'spoof'; camera: Camera; session: ClassSession };

describe.skipIf(!hasNuaa)('liveness in the camera pipeline (real NUAA frames, default settings)', () => {
  useThrowawayDatabase();
  let pool: FaceEnginePool;
  let dir: string;
  let student: Student;
  const rooms: Room[] = [];
  let live: string[];
  let spoof: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'liveness-pipeline-'));
    process.env.DATA_DIR = path.join(dir, 'data');
    resetEnvCache();
    resetStorage();
    const subject = readdirSync(path.join(NUAA, 'live')).sort(byName)[0]!;
    live = frames('live', subject);
    spoof = frames('spoof', subject);
    pool = await FaceEnginePool.start({ size: 2 });
    const course = await makeCourse();
    student = await makeStudent({ name: `NUAA ${subject}` });
    await enrollStudent(course.courseId, student.studentId);
    expect(await enrollPhotos(pool, student.studentId, live.slice(0, 3))).toBeGreaterThan(0);
    for (const [mode, shows] of [
      ['block', 'spoof'],
      ['block', 'live'],
      ['flag', 'spoof'],
      ['off', 'spoof'],
    ] as const) {
      const camera = await makeCamera({ mode: 'push', liveness: mode });
      const session = await makeSession({
        courseId: course.courseId,
        cameraId: camera.cameraId,
        startsAt: new Date(Date.now() - 2 * 60_000),
      });
      rooms.push({ mode, shows, camera, session });
    }
  });

  afterAll(async () => {
    await pool?.close();
    delete process.env.DATA_DIR;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('block holds a photo back for review, records a live student, flag marks the photo, off records it as before', async () => {
    const controller = new AbortController();
    const pipeline = await startCameraPipeline(
      { pool, settings: env(), log: createLogger('liveness-e2e'), sessionRefreshMs: 1_000 },
      controller.signal,
    );
    const server: Server = createServer(
      (req, res) => void (pipeline.handleInternal(req, res) || res.writeHead(404).end()),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const decided = async () => {
      const out = [];
      for (const r of rooms) {
        const rows = await listAttendanceForSession(r.session.sessionId);
        const queued = await getDb().select().from(unknownFaces).where(eq(unknownFaces.sessionId, r.session.sessionId));
        out.push({ room: r, rows, queued });
      }
      return out;
    };
    try {
      // 5 frames a second, the same recording shown to each camera (frames 10… of the subject's live
      // recording: not the enrolment frames), for at most 30 frames or until every room has an outcome.
      for (let i = 0; i < 30; i++) {
        for (const r of rooms) {
          const file = (r.shows === 'live' ? live.slice(10) : spoof)[
            i % (r.shows === 'live' ? live.length - 10 : spoof.length)
          ]!;
          const res = await fetch(`${base}/internal/frames/${r.camera.cameraId}`, {
            method: 'POST',
            headers: { [INTERNAL_TOKEN_HEADER]: env().INTERNAL_TOKEN, 'content-type': 'image/jpeg' },
            body: readFileSync(file),
          });
          expect(res.status).toBeLessThan(300);
        }
        await new Promise((r) => setTimeout(r, 200));
        if ((await decided()).every((d) => d.rows.length + d.queued.length > 0) && i >= 8) break;
      }
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      controller.abort();
      await pipeline.stop();
      await new Promise((resolve) => server.close(resolve));
    }
    const [blockSpoof, blockLive, flagSpoof, offSpoof] = await decided();

    // block + photo: no row; one review entry: suspected spoof of the student, with its crop stored.
    expect(blockSpoof!.rows).toEqual([]);
    expect(blockSpoof!.queued).toHaveLength(1);
    const held = blockSpoof!.queued[0]!;
    expect(held).toMatchObject({ kind: 'suspected_spoof', matchedStudentId: student.studentId, reviewed: false });
    expect(held.livenessScore!).toBeLessThan(0.5);
    expect((await getStorage().get(held.storageKey))?.length ?? 0).toBeGreaterThan(0);

    // block + the real student: recorded, not marked.
    expect(blockLive!.rows).toEqual([
      expect.objectContaining({ studentId: student.studentId, livenessDoubtful: false }),
    ]);
    expect(blockLive!.rows[0]!.livenessScore!).toBeGreaterThanOrEqual(0.5);
    expect(blockLive!.queued).toEqual([]);

    // flag + photo: recorded, marked doubtful with its score.
    expect(flagSpoof!.rows).toEqual([
      expect.objectContaining({ studentId: student.studentId, livenessDoubtful: true, status: 'present' }),
    ]);
    expect(flagSpoof!.rows[0]!.livenessScore!).toBeLessThan(0.5);

    // off + photo: as before liveness existed.
    expect(offSpoof!.rows).toEqual([
      expect.objectContaining({ studentId: student.studentId, livenessDoubtful: false, livenessScore: null }),
    ]);

    // The lecturer's verdicts, each audited; a second verdict on the same item is refused.
    const lecturer = await makeUser({ role: 'lecturer' });
    await reviewSuspectedSpoof({
      sessionId: blockSpoof!.room.session.sessionId,
      unknownId: held.unknownId,
      verdict: 'spoof',
      actorUserId: lecturer.userId,
    });
    await expect(
      reviewSuspectedSpoof({
        sessionId: blockSpoof!.room.session.sessionId,
        unknownId: held.unknownId,
        verdict: 'real',
        actorUserId: lecturer.userId,
      }),
    ).rejects.toThrow(/already been reviewed/);
    expect(await listAttendanceForSession(blockSpoof!.room.session.sessionId)).toEqual([]);
    await reviewDoubtfulAttendance({
      sessionId: flagSpoof!.room.session.sessionId,
      attendanceId: flagSpoof!.rows[0]!.attendanceId,
      verdict: 'spoof',
      actorUserId: lecturer.userId,
    });
    expect((await listAttendanceForSession(flagSpoof!.room.session.sessionId))[0]).toMatchObject({
      status: 'absent',
      livenessDoubtful: false,
      markedBy: lecturer.userId,
    });
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorUserId, lecturer.userId)));
    expect(audit.map((a) => a.action).sort()).toEqual(['attendance.liveness_spoof', 'unknown_face.liveness_spoof']);
  }, 180_000);
});
