/**
 * The admin CLI's commands: each returns the JSON value it prints with `--json` (the contract) and a
 * short human text. Expected failures are AppErrors with a one-line message.
 */
import os from 'node:os';
import { SingleBar } from 'cli-progress';
import { listCamerasWithLeases } from '@/lib/data/camera-leases';
import { findCameraByName, isCameraOnline } from '@/lib/data/cameras';
import { enrollStudent, ensureCourseByCode, findCourseByCode } from '@/lib/data/courses';
import { getSession, ensureSession } from '@/lib/data/sessions';
import { findStudentByIdOrNumberOrThrow, listAttendanceWithNames } from '@/lib/data/student-import';
import { listStudents } from '@/lib/data/students';
import { redactCredentials } from '@/lib/camera/redact';
import { firmwareConfigLines } from '@/lib/devices/camera-setup';
import { createCameraWithToken, rotateCameraToken } from '@/lib/devices/camera-tokens';
import { deleteStudentBiometrics, type EnrollmentEngine } from '@/lib/enrollment/enroll-photo';
import { env } from '@/lib/env';
import { engineIdentity, engineOptionsFromEnv } from '@/lib/face/engine-config';
import { rebuildTemplates } from '@/lib/enrollment/rebuild-templates';
import { removeDemoData } from '@/lib/enrollment/remove-demo';
import { getStorage } from '@/lib/storage';
import { AppError } from '@/lib/errors';
import { backupCreate, backupList, backupRestore } from './backup-commands';
import { parseIsoDate, type CommandName, type ParsedCommand } from './args';
import { importStudents, scanStudentFolders, type ImportProgress } from './import-students';
import { notifyAdd, notifyList, notifyRemove } from './notify-commands';
import { usersAdd, usersDisable, usersEnable, usersList, usersResetPassword } from './users-commands';
import { timetableAdd, timetableList, timetableRemove } from './timetable-commands';
import { rosterImportCommand } from './roster-command';

export type CommandResult = { json: unknown; text: string };

type Options = ParsedCommand['options'];
const str = (o: Options, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const req = (o: Options, k: string) => str(o, k) ?? '';

async function courseOrThrow(code: string) {
  const course = await findCourseByCode(code);
  if (!course)
    throw new AppError(
      'NOT_FOUND',
      `Unknown course "${code}" (create it with: courses add --code ${code} --name NAME)`,
    );
  return course;
}

async function cameraOrThrow(name: string) {
  const camera = await findCameraByName(name);
  if (!camera) throw new AppError('NOT_FOUND', `Unknown camera "${name}" (create it with: cameras add --name ${name})`);
  return camera;
}

/** A pool pays for its start-up (a model copy per thread) only on bigger imports with several cores. */
const POOL_MIN_PHOTOS = 24;

async function withEngine<T>(
  photos: number,
  fn: (engine: EnrollmentEngine, concurrency: number) => Promise<T>,
): Promise<T> {
  const settings = env();
  const engineOpts = engineOptionsFromEnv(settings);
  const threads = Math.min(4, os.availableParallelism());
  // Imported here: loading the model code costs seconds that other commands should not pay.
  const [{ FaceEngine }, { FaceEnginePool }] = await Promise.all([
    import('@/lib/face/engine'),
    import('@/lib/face/engine-pool'),
  ]);
  if (photos >= POOL_MIN_PHOTOS && threads > 1) {
    const pool = await FaceEnginePool.start({ size: threads, engine: engineOpts });
    try {
      return await fn(pool, threads * 2);
    } finally {
      await pool.close();
    }
  }
  return fn(await FaceEngine.load(engineOpts), 1);
}

function progressBar(enabled: boolean): ImportProgress | undefined {
  if (!enabled) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'enrolling [{bar}] {value}/{total} {file}',
    hideCursor: true,
    clearOnComplete: false,
  });
  return {
    start: (total) => bar.start(total, 0, { file: '' }),
    tick: (file) => bar.increment(1, { file }),
    stop: () => bar.stop(),
  };
}

async function studentsImport(o: Options): Promise<CommandResult> {
  const csv = str(o, 'csv');
  if (csv)
    return rosterImportCommand(
      { csv, photos: str(o, 'photos'), dryRun: o['dry-run'] === true },
      { withEngine, progress: progressBar(process.stderr.isTTY === true) },
    );
  const dir = req(o, 'dir');
  const code = str(o, 'course');
  const course = code ? await courseOrThrow(code) : undefined;
  const photos = (await scanStudentFolders(dir)).reduce((n, f) => n + f.photos.length, 0);
  const summary = await withEngine(photos, (engine, concurrency) =>
    importStudents({
      dir,
      courseId: course?.courseId,
      engine,
      concurrency,
      progress: progressBar(process.stderr.isTTY === true),
    }),
  );
  const text = [
    `Enrolled ${summary.enrolled.length} student(s)${course ? ` into ${course.code}` : ''}:`,
    ...summary.enrolled.map((s) => `  ${s.name} (${s.student_id}): ${s.photos} photo(s)`),
    `Rejected ${summary.rejected.length}:`,
    ...summary.rejected.map((r) => `  ${r.file}: ${r.reason}`),
  ].join('\n');
  return { json: summary, text };
}

async function templatesRebuild(): Promise<CommandResult> {
  const identity = engineIdentity(engineOptionsFromEnv(env()));
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'rebuilding templates [{bar}] {value}/{total}',
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: !tty,
  });
  const progress = {
    start: (total: number) => bar.start(total, 0),
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
  // One in-process engine: ~40 ms per photo on a 2-core VM, so 10,000 photos take about 7 minutes.
  const { FaceEngine } = await import('@/lib/face/engine');
  const engine = await FaceEngine.load(engineOptionsFromEnv(env()));
  const summary = await rebuildTemplates({
    engine,
    identity,
    storage: getStorage(),
    progress: tty ? progress : undefined,
  });
  const text = [
    `Rebuilt ${summary.rebuilt} of ${summary.photos} photo(s) with ${summary.model}@${summary.version}.`,
    ...summary.failed.map((f) => `  photo ${f.photo_id} (student ${f.student_id}): ${f.reason}`),
    `Templates: ${summary.students_up_to_date} of ${summary.students} student(s) up to date.`,
  ].join('\n');
  return { json: summary, text };
}

async function studentsDeleteBiometrics(o: Options): Promise<CommandResult> {
  const student = await findStudentByIdOrNumberOrThrow(req(o, 'student'));
  const r = await deleteStudentBiometrics(student.studentId, null);
  const json = {
    student_id: r.studentId,
    photos: r.photos,
    templates: r.templates,
    unknown_faces: r.unknownFaces,
    files: r.files,
  };
  return {
    json,
    text: `Deleted ${r.photos} photo(s), ${r.templates} template(s), ${r.unknownFaces} unknown face(s) and ${r.files} file(s) of ${student.name}.`,
  };
}

async function coursesAdd(o: Options): Promise<CommandResult> {
  const { course, created } = await ensureCourseByCode({
    code: req(o, 'code'),
    courseName: req(o, 'name'),
    lecturerId: null,
    room: null,
  });
  return {
    json: { course_id: course.courseId, code: course.code },
    text: `${created ? 'Created' : 'Already exists:'} course ${course.code} (${course.courseId})`,
  };
}

async function enroll(o: Options): Promise<CommandResult> {
  const course = await courseOrThrow(req(o, 'course'));
  const targets = o.all ? await listStudents() : [await findStudentByIdOrNumberOrThrow(req(o, 'student'))];
  let added = 0;
  for (const s of targets) if (await enrollStudent(course.courseId, s.studentId)) added++;
  const json = { course_id: course.courseId, enrolled: added, already_enrolled: targets.length - added };
  return {
    json,
    text: `Enrolled ${added} student(s) into ${course.code}; ${targets.length - added} already enrolled.`,
  };
}

async function camerasAdd(o: Options): Promise<CommandResult> {
  const name = req(o, 'name');
  if (await findCameraByName(name))
    throw new AppError('CONFLICT', `A camera named "${name}" exists; use: cameras rotate-token --name ${name}`);
  const url = str(o, 'url');
  const mode = (str(o, 'mode') ?? (url ? 'pull' : 'push')) as 'pull' | 'push';
  const liveness = (str(o, 'liveness') ?? 'flag') as 'off' | 'flag' | 'block';
  // A pull camera must have an http(s) URL (else 400); only a push camera gets a token.
  const { camera, token } = await createCameraWithToken(
    { name, room: str(o, 'room') ?? null, mode, streamUrl: url ?? null, snapshotUrl: null, liveness },
    null,
  );
  if (!token)
    return {
      json: { camera_id: camera.cameraId, token: null },
      text: `Created pull camera ${name} (${camera.cameraId}), liveness ${liveness}; the worker reads ${redactCredentials(url ?? '')}.`,
    };
  const text = `Created push camera ${name} (${camera.cameraId}), liveness ${liveness}.\nPush token (shown once, store it now): ${token}\nIn firmware/esp32-cam/config.h (SERVER_URL: the dashboard's address):\n${firmwareConfigLines({ serverUrl: env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`, deviceId: camera.cameraId, token })}`;
  return { json: { camera_id: camera.cameraId, token }, text };
}

async function camerasList(): Promise<CommandResult> {
  const rows = await listCamerasWithLeases();
  const now = new Date();
  const json = rows.map((c) => ({
    camera_id: c.cameraId,
    name: c.name,
    room: c.room,
    mode: c.mode,
    status: isCameraOnline(c, now) ? 'online' : 'offline',
    worker_id: c.workerId,
    lease_expires_at: c.leaseExpiresAt?.toISOString() ?? null,
  }));
  const text = json.length
    ? json
        .map(
          (c) =>
            `${c.name.padEnd(20)} ${(c.room ?? '-').padEnd(8)} ${c.mode.padEnd(5)} ${c.status.padEnd(8)} ${c.worker_id ? `worker ${c.worker_id} until ${c.lease_expires_at}` : 'no worker'}`,
        )
        .join('\n')
    : 'No cameras.';
  return { json, text };
}

async function camerasRotateToken(o: Options): Promise<CommandResult> {
  const camera = await cameraOrThrow(req(o, 'name'));
  const token = await rotateCameraToken(camera.cameraId, null);
  return {
    json: { camera_id: camera.cameraId, token },
    text: `New push token for ${camera.name} (shown once; the old one no longer works): ${token}`,
  };
}

async function sessionsAdd(o: Options): Promise<CommandResult> {
  const startsAt = parseIsoDate(req(o, 'start'), 'start');
  const endsAt = parseIsoDate(req(o, 'end'), 'end');
  const course = await courseOrThrow(req(o, 'course'));
  const camera = await cameraOrThrow(req(o, 'camera'));
  const { session, created } = await ensureSession({
    courseId: course.courseId,
    cameraId: camera.cameraId,
    date: startsAt.toISOString().slice(0, 10),
    startsAt,
    endsAt,
    room: camera.room ?? course.room ?? null,
    lateAfterMinutes: null,
    status: 'scheduled',
  });
  return {
    json: { session_id: session.sessionId },
    text: `${created ? 'Created' : 'Already exists:'} session ${session.sessionId}`,
  };
}

async function attendanceList(o: Options): Promise<CommandResult> {
  const sessionId = req(o, 'session');
  if (!(await getSession(sessionId))) throw new AppError('NOT_FOUND', `Unknown session "${sessionId}"`);
  const rows = await listAttendanceWithNames(sessionId);
  const json = rows.map((r) => ({
    student_id: r.studentId,
    name: r.name,
    timestamp: r.timestamp.toISOString(),
    status: r.status,
    confidence: r.confidence,
  }));
  const text = rows.length
    ? json
        .map(
          (r) =>
            `${r.timestamp}  ${r.status.padEnd(8)} ${r.confidence === null ? '   -' : r.confidence.toFixed(2)}  ${r.name} (${r.student_id})`,
        )
        .join('\n')
    : 'No attendance recorded for this session.';
  return { json, text };
}

async function demoRemove(): Promise<CommandResult> {
  const removed = await removeDemoData(null);
  const total = Object.values(removed).reduce((a, b) => a + b, 0);
  return {
    json: { removed },
    text:
      total === 0
        ? 'No demo data to remove.'
        : `Removed the demo data: ${Object.entries(removed)
            .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
            .join(', ')}.`,
  };
}

const HANDLERS: Record<CommandName, (o: Options) => Promise<CommandResult>> = {
  'students import': studentsImport,
  'students delete-biometrics': studentsDeleteBiometrics,
  'courses add': coursesAdd,
  enroll,
  'cameras add': camerasAdd,
  'cameras list': camerasList,
  'cameras rotate-token': camerasRotateToken,
  'sessions add': sessionsAdd,
  'attendance list': attendanceList,
  'templates rebuild': templatesRebuild,
  'backup create': backupCreate,
  'backup list': backupList,
  'backup restore': backupRestore,
  'notify add': notifyAdd,
  'notify list': notifyList,
  'notify remove': notifyRemove,
  'users add': usersAdd,
  'users list': usersList,
  'users disable': usersDisable,
  'users enable': usersEnable,
  'users reset-password': usersResetPassword,
  'demo remove': demoRemove,
  'timetable add': timetableAdd,
  'timetable list': timetableList,
  'timetable remove': timetableRemove,
};

export function runCommand(cmd: ParsedCommand): Promise<CommandResult> {
  return HANDLERS[cmd.command](cmd.options);
}
