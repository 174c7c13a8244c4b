/**
 * One step of the lecture bench: N rendered halls, each streamed by its own ffmpeg (`-c:v copy`, ESP32
 * boundary, HTTP like the camera's :81/stream) → one worker's camera pipeline with DEFAULT settings and
 * the real engine pool → a throwaway MariaDB database. Returns what each camera recorded and what the
 * worker and the ffmpeg processes cost.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { SingleBar } from 'cli-progress';
import { getDb } from '@/db/client';
import { faceTemplates, unknownFaces } from '@/db/schema';
import { listAttendanceForSession } from '@/lib/data/attendances';
import { enrollStudent } from '@/lib/data/courses';
import { env } from '@/lib/env';
import type { FaceEnginePool } from '@/lib/face/engine-pool';
import type { FaceTemplate } from '@/lib/face/types';
import type { Logger } from '@/lib/log';
import { pipelineEvents, type AttendanceEvent } from '@/lib/recognition/pipeline-stats';
import { startCameraPipeline } from '@/workers/camera-pipeline';
import { makeCamera, makeCourse, makeSession, makeStudent } from '@/test/factories';
import { freePort, waitUntilListening } from '@/test/helpers/ffmpeg';
import { streamFramesWithFfmpeg, type FfmpegFrames } from '@/test/helpers/pipeline-setup';
import { startBenchEnvironment } from '../bench-env';
import type { RenderedHall } from './render';
import { asFloats, SeatTrace } from './seat-trace';
import { summarizeCamera, type CameraSummary, type Recorded } from './schedule';

/** Enrolment templates by photo, kept across steps: each step has a new database, not new photos. */
export type TemplateCache = Map<string, FaceTemplate | null>;

export interface CameraResult extends CameraSummary {
  index: number;
  framesIn: number;
  analysed: number;
  /** Frames the change gate passed over on purpose (nothing changed, every face recognised). */
  gated: number;
  /** Faces embedded, in all and in the second half (when the class sits: the steady cost). */
  embedded: number;
  dropped: number;
  secondHalf: { in: number; dropped: number; analysed: number; embedded: number };
  /** Frames read but neither analysed, gated nor dropped (queued or in flight), at half time and at the end: growth is a queue falling behind. */
  backlog: { half: number; end: number };
  offered: number;
  reconnects: number;
  analyzeErrors: number;
  unknownCrops: number;
  notEnrolled: string[];
}

export interface StepResult {
  cameras: number;
  seconds: number;
  /** Cameras whose stream the worker read and analysed. */
  served: number;
  /** Frames whose faces the seat trace filed (0: it could not see the pool's frame call, so no stranger check). */
  tracedFrames: number;
  perCamera: CameraResult[];
  framesPerSecond: { arrived: number; analysed: number };
  cpu: { workerCores: number; perCamera: number; secondHalfPerCamera: number; ffmpegCores: number };
  rssMb: { start: number; max: number; end: number; series: Array<[number, number]> };
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds a live process has used (user + system), from /proc; 0 once it is gone. */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function templateOf(pool: FaceEnginePool, cache: TemplateCache, photo: string): Promise<FaceTemplate | null> {
  const key = `${path.basename(path.dirname(photo))}/${path.basename(photo)}`;
  if (!cache.has(key)) cache.set(key, (await pool.enrollmentTemplate(readFileSync(photo))).template);
  return cache.get(key) ?? null;
}

/** A course per hall with its roster (present + absent) enrolled, a camera at `port` and a session running now. */
async function setUpHalls(pool: FaceEnginePool, halls: RenderedHall[], cache: TemplateCache) {
  const students = new Map<string, { studentId: string; enrolled: boolean }>();
  const out = [];
  for (const hall of halls) {
    const course = await makeCourse();
    const port = await freePort();
    const camera = await makeCamera({ streamUrl: `http://127.0.0.1:${port}/stream`, room: `lecture ${hall.index}` });
    // Started 2 minutes ago, like a class the camera joins as it begins.
    const session = await makeSession({
      courseId: course.courseId,
      cameraId: camera.cameraId,
      startsAt: new Date(Date.now() - 2 * 60_000),
    });
    for (const name of [...hall.truth.present, ...hall.truth.absent]) {
      let student = students.get(name);
      if (!student) {
        student = { studentId: (await makeStudent({ name })).studentId, enrolled: false };
        const dir = path.join(hall.rosterDir, name);
        for (const file of readdirSync(dir).sort()) {
          const template = await templateOf(pool, cache, path.join(dir, file));
          if (!template) continue;
          await getDb()
            .insert(faceTemplates)
            .values({
              studentId: student.studentId,
              model: template.model,
              modelVersion: template.version,
              dims: template.data.byteLength / 4,
              embedding: Buffer.from(template.data),
            });
          student.enrolled = true;
        }
        students.set(name, student);
      }
      await enrollStudent(course.courseId, student.studentId);
    }
    out.push({ hall, port, cameraId: camera.cameraId, sessionId: session.sessionId });
  }
  return { rooms: out, students };
}

export interface StepOptions {
  pool: FaceEnginePool;
  halls: RenderedHall[];
  fps: number;
  seconds: number;
  cache: TemplateCache;
  log: Logger;
  /** Started once the halls are set up; updated every second with the frame and row counts. */
  bar: SingleBar;
  barLabel: string;
}

export async function runStep(o: StepOptions): Promise<StepResult> {
  const bench = await startBenchEnvironment('lecture');
  const ffmpegs: FfmpegFrames[] = [];
  try {
    const { rooms, students } = await setUpHalls(o.pool, o.halls, o.cache);
    const nameOf = new Map([...students].map(([name, s]) => [s.studentId, name]));
    const gallery = new Map<string, Float32Array[]>();
    for (const t of await getDb().select().from(faceTemplates))
      gallery.set(t.studentId, [...(gallery.get(t.studentId) ?? []), asFloats(t.embedding as Uint8Array)]);
    const trace = new SeatTrace(rooms.map((r) => ({ seats: r.hall.seats, timeline: path.dirname(r.hall.pattern) })));
    const bySession = new Map(rooms.map((r, i) => [r.sessionId, i]));
    const streamStart: Array<number | null> = rooms.map(() => null);
    const rows: Recorded[][] = rooms.map(() => []);
    const onAttendance = (e: AttendanceEvent) => {
      const i = bySession.get(e.sessionId);
      if (!e.created || i === undefined) return;
      const seat = trace.seatFor(i, gallery.get(e.studentId) ?? []);
      rows[i]!.push({
        name: nameOf.get(e.studentId) ?? e.studentId,
        atMs: Date.now() - (streamStart[i] ?? Date.now()),
        seat: seat ? seat.name : undefined,
      });
    };
    pipelineEvents.on('attendance', onAttendance);
    for (const r of rooms) ffmpegs.push(streamFramesWithFfmpeg(r.hall.pattern, r.port, o.fps, false));
    // Connected only once ffmpeg listens: a refused first attempt would count as a reconnect.
    for (const [i, f] of ffmpegs.entries())
      if (!(await waitUntilListening(rooms[i]!.port, f.exited, 30_000)))
        throw new Error(`ffmpeg of camera ${rooms[i]!.hall.index} did not start listening on port ${rooms[i]!.port}`);

    o.bar.start(o.seconds, 0, { phase: o.barLabel, unit: ' s', in: 0, analysed: 0, recorded: 0 });
    const rss: Array<[number, number]> = [];
    const rssStart = mb(process.memoryUsage().rss);
    const controller = new AbortController();
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const pipeline = await startCameraPipeline(
      { pool: trace.wrap(o.pool), settings: env(), log: o.log, sessionRefreshMs: 2_000 },
      controller.signal,
    );
    const statsOf = () => {
      const all = pipeline.stats().cameras;
      return rooms.map((r) => all.find((c) => c.cameraId === r.cameraId));
    };
    // The k-th frame a camera's reader counts left ffmpeg about (k - 1) / fps after the stream began.
    const watchStart = setInterval(() => {
      statsOf().forEach((s, i) => {
        if (streamStart[i] === null && s && s.framesIn > 0)
          streamStart[i] = Date.now() - ((s.framesIn - 1) * 1000) / o.fps;
      });
    }, 200);
    const half: { at: number; cpu: NodeJS.CpuUsage; cams: ReturnType<typeof statsOf> }[] = [];
    const sampler = setInterval(() => {
      const s = Math.round((Date.now() - t0) / 1000);
      rss.push([s, mb(process.memoryUsage().rss)]);
      if (!half.length && s >= o.seconds / 2) half.push({ at: Date.now(), cpu: process.cpuUsage(), cams: statsOf() });
      const cams = statsOf();
      const sum = (k: 'framesIn' | 'processed' | 'recorded') => cams.reduce((a, c) => a + (c?.[k] ?? 0), 0);
      o.bar.update(Math.min(o.seconds, s), {
        in: sum('framesIn'),
        analysed: sum('processed'),
        recorded: rows.reduce((a, r) => a + r.length, 0),
      });
    }, 1_000);
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    clearInterval(sampler);
    clearInterval(watchStart);
    const tEnd = Date.now();
    const wallS = (tEnd - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuEnd = process.cpuUsage();
    const ffmpegS = ffmpegs.reduce((a, f) => a + cpuSecondsOf(f.child.pid), 0);
    const cams = statsOf();
    const rssEnd = mb(process.memoryUsage().rss);
    // ffmpeg goes first: killed, it says nothing; a client that leaves would make it report a broken pipe.
    for (const f of ffmpegs) await f.kill();
    controller.abort();
    await pipeline.stop();
    pipelineEvents.off('attendance', onAttendance);

    const perCamera: CameraResult[] = [];
    for (const [i, r] of rooms.entries()) {
      const s = cams[i];
      const h = half[0]?.cams[i];
      const dbRows = await listAttendanceForSession(r.sessionId);
      const names = new Set(dbRows.map((row) => nameOf.get(row.studentId) ?? row.studentId));
      // A row the event missed (it should not happen) still counts, at the end of the run.
      const recorded = [
        ...rows[i]!,
        ...[...names].filter((n) => !rows[i]!.some((x) => x.name === n)).map((name) => ({ name, atMs: wallS * 1000 })),
      ];
      const streamS = streamStart[i] === null ? 0 : (tEnd - streamStart[i]!) / 1000;
      perCamera.push({
        index: r.hall.index,
        ...summarizeCamera(r.hall.truth, r.hall.schedule, recorded),
        framesIn: s?.framesIn ?? 0,
        analysed: s?.processed ?? 0,
        gated: s?.gated ?? 0,
        embedded: s?.embedded ?? 0,
        dropped: s?.dropped ?? 0,
        secondHalf: {
          in: (s?.framesIn ?? 0) - (h?.framesIn ?? 0),
          dropped: (s?.dropped ?? 0) - (h?.dropped ?? 0),
          analysed: (s?.processed ?? 0) - (h?.processed ?? 0),
          embedded: (s?.embedded ?? 0) - (h?.embedded ?? 0),
        },
        backlog: {
          half: h ? h.framesIn - h.processed - h.gated - h.dropped : 0,
          end: s ? s.framesIn - s.processed - s.gated - s.dropped : 0,
        },
        offered: Math.round(streamS * o.fps),
        reconnects: s?.reconnects ?? 0,
        analyzeErrors: s?.analyzeErrors ?? 0,
        unknownCrops: (await getDb().select().from(unknownFaces).where(eq(unknownFaces.sessionId, r.sessionId))).length,
        notEnrolled: [...r.hall.truth.present, ...r.hall.truth.absent].filter((n) => !students.get(n)?.enrolled),
      });
    }
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const n = rooms.length;
    const mid = half[0];
    const secondHalfCpu = mid
      ? (cpuEnd.user - mid.cpu.user + cpuEnd.system - mid.cpu.system) / 1e6 / ((tEnd - mid.at) / 1000)
      : NaN;
    return {
      cameras: n,
      seconds: Math.round(wallS),
      served: perCamera.filter((c) => c.analysed > 0).length,
      tracedFrames: trace.traced,
      perCamera,
      framesPerSecond: {
        arrived: +(perCamera.reduce((a, c) => a + c.framesIn, 0) / wallS).toFixed(2),
        analysed: +(perCamera.reduce((a, c) => a + c.analysed, 0) / wallS).toFixed(2),
      },
      cpu: {
        workerCores: +(cpuS / wallS).toFixed(2),
        perCamera: +(cpuS / wallS / n).toFixed(3),
        secondHalfPerCamera: +(secondHalfCpu / n).toFixed(3),
        ffmpegCores: +(ffmpegS / wallS).toFixed(4),
      },
      rssMb: { start: rssStart, max: Math.max(rssStart, ...rss.map(([, v]) => v)), end: rssEnd, series: rss },
    };
  } finally {
    for (const f of ffmpegs) await f.kill();
    await bench.stop();
  }
}
