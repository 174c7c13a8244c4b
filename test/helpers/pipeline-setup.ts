/**
 * Shared setup of the pipeline's integration tests and benchmark: a course with enrolled LFW people
 * (templates made by the real engine from their first 3 photos), a stranger who is a student of
 * another course, a camera and a session running now; and ffmpeg streaming frames as MJPEG.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getDb } from '@/db/client';
import { faceTemplates, type Camera, type ClassSession, type Course, type Student } from '@/db/schema';
import { enrollStudent } from '@/lib/data/courses';
import type { FaceEnginePool } from '@/lib/face/engine-pool';
import { makeCamera, makeCourse, makeSession, makeStudent } from '@/test/factories';
import { ESP32_PART_BOUNDARY } from '@/test/fixtures/camera/esp32-stream-server';
import type { EnrolledPerson, Stranger } from '@/test/fixtures/classroom-frames';

export interface Classroom {
  course: Course;
  camera: Camera;
  session: ClassSession;
  students: Map<string, Student>;
  /** Student rows of strangers enrolled elsewhere (must never be recorded here). */
  outsiders: Student[];
}

/** Enrolls `person` with every accepted photo among its first 3; returns how many were accepted. */
export async function enrollPhotos(pool: FaceEnginePool, studentId: string, photos: string[]): Promise<number> {
  let accepted = 0;
  for (const photo of photos) {
    const { template } = await pool.enrollmentTemplate(readFileSync(photo));
    if (!template) continue;
    await getDb()
      .insert(faceTemplates)
      .values({
        studentId,
        model: template.model,
        modelVersion: template.version,
        dims: template.data.byteLength / 4,
        embedding: Buffer.from(template.data),
      });
    accepted += 1;
  }
  return accepted;
}

export async function setUpClassroom(
  pool: FaceEnginePool,
  people: { enrolled: EnrolledPerson[]; strangers: Stranger[] },
  camera: Partial<Pick<Camera, 'mode' | 'streamUrl' | 'name'>>,
): Promise<Classroom> {
  const course = await makeCourse();
  const cam = await makeCamera(camera);
  // Started 2 minutes ago: arrivals are 'present' (within the late grace period).
  const session = await makeSession({
    courseId: course.courseId,
    cameraId: cam.cameraId,
    startsAt: new Date(Date.now() - 2 * 60_000),
  });
  const students = new Map<string, Student>();
  for (const person of people.enrolled) {
    const student = await makeStudent({ name: person.name });
    await enrollStudent(course.courseId, student.studentId);
    await enrollPhotos(pool, student.studentId, person.enrollPhotos);
    students.set(student.studentId, student);
  }
  const elsewhere = await makeCourse();
  const outsiders: Student[] = [];
  for (const stranger of people.strangers.slice(0, 1)) {
    const student = await makeStudent({ name: stranger.name });
    await enrollStudent(elsewhere.courseId, student.studentId);
    await enrollPhotos(pool, student.studentId, [stranger.photo]);
    outsiders.push(student);
  }
  return { course, camera: cam, session, students, outsiders };
}

/**
 * Side lengths at which to paste each photo of each seat so that its largest face is `faceWidths[i]`
 * pixels wide (cycled over seats), measured with the real detector on the photo itself.
 */
export async function photoSizesForFaceWidths(
  pool: FaceEnginePool,
  seats: string[][],
  faceWidths: number[],
): Promise<number[][]> {
  const sizes: number[][] = [];
  for (const [i, photos] of seats.entries()) {
    const seat: number[] = [];
    for (const photo of photos) {
      const { width, faces } = await pool.analyzeFrame(readFileSync(photo));
      const face = faces.sort((a, b) => b.face.box.width - a.face.box.width)[0];
      if (!face) throw new Error(`no face found on ${photo}`);
      seat.push(Math.round(((faceWidths[i % faceWidths.length] as number) * width) / face.face.box.width));
    }
    sizes.push(seat);
  }
  return sizes;
}

export interface FfmpegFrames {
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
  kill(): Promise<void>;
}

/**
 * ffmpeg streaming `pattern` (frame%03d.jpg) as MJPEG at `fps`, to one client, then exiting. The
 * parts use the stock ESP32-CAM boundary, as a classroom camera's `:81/stream` does.
 */
export function streamFramesWithFfmpeg(pattern: string, port: number, fps = 5, loop = false): FfmpegFrames {
  const url = `http://127.0.0.1:${port}/stream`;
  const boundary = [
    '-boundary_tag',
    ESP32_PART_BOUNDARY,
    '-content_type',
    `multipart/x-mixed-replace;boundary=${ESP32_PART_BOUNDARY}`,
  ];
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-re',
    ...(loop ? ['-stream_loop', '-1'] : []),
    '-framerate',
    String(fps),
    '-i',
    pattern,
    '-c:v',
    'copy',
    '-f',
    'mpjpeg',
    ...boundary,
    '-listen',
    '1',
    url,
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
