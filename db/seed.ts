/**
 * The first admin account, always; with `demo`, also demo data: a lecturer, two courses, eight
 * students, enrolments, one camera and today's sessions, each row it creates recorded in `demo_rows`
 * so `npm run attendance -- demo remove` deletes exactly those. Idempotent: a second run finds
 * everything and changes nothing. Passwords are random and printed only when the user is created.
 *
 * `npm run db:seed -- --demo | --no-demo`; without either it asks when a terminal is attached, and
 * loads no demo otherwise (a scripted real install stays clean).
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { ensureCameraByName } from '@/lib/data/cameras';
import { enrollStudent, ensureCourseByCode } from '@/lib/data/courses';
import { markDemoRow } from '@/lib/data/demo-data';
import { ensureSession } from '@/lib/data/sessions';
import { ensureStudentByNumber } from '@/lib/data/students';
import { createUser, findUserByEmail } from '@/lib/data/users';
import { env } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import type { UserRole } from './schema';
import { runScript } from './cli';
import { closeDb } from './client';

export const DEMO_ADMIN_EMAIL = 'admin@example.edu';
/** The first admin's email: ADMIN_EMAIL, else the documented default. */
export const adminEmail = (): string => process.env.ADMIN_EMAIL?.trim() || DEMO_ADMIN_EMAIL;
export const DEMO_LECTURER_EMAIL = 'lecturer@example.edu';

const STUDENTS = [
  ['S1001', 'Amina Okafor'],
  ['S1002', 'Bruno Costa'],
  ['S1003', 'Chen Wei'],
  ['S1004', 'Dana Kowalski'],
  ['S1005', 'Elif Yilmaz'],
  ['S1006', 'Farid Haddad'],
  ['S1007', 'Grace Mensah'],
  ['S1008', 'Hiro Tanaka'],
] as const;

export interface SeedResult {
  created: { users: number; courses: number; students: number; enrollments: number; cameras: number; sessions: number };
  /** Passwords of users created by this run (empty on a re-run). */
  passwords: { email: string; password: string }[];
}

/** Local calendar date as 'YYYY-MM-DD'. */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function todayAt(hours: number, minutes: number, now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes, 0, 0);
}

export async function seed(now = new Date(), opts: { demo: boolean } = { demo: true }): Promise<SeedResult> {
  const result: SeedResult = {
    created: { users: 0, courses: 0, students: 0, enrollments: 0, cameras: 0, sessions: 0 },
    passwords: [],
  };

  async function ensureUser(email: string, name: string, role: UserRole, demo = false) {
    const existing = await findUserByEmail(email);
    if (existing) return existing;
    const password = randomBytes(12).toString('base64url');
    const user = await createUser({ email, name, role, password });
    if (demo) await markDemoRow('users', user.userId);
    result.created.users++;
    result.passwords.push({ email, password });
    return user;
  }

  await ensureUser(adminEmail(), opts.demo ? 'Demo Admin' : 'Admin', 'admin');
  if (!opts.demo) return result;
  const lecturer = await ensureUser(DEMO_LECTURER_EMAIL, 'Dr. Demo Lecturer', 'lecturer', true);

  const { camera, created: cameraCreated } = await ensureCameraByName({
    name: 'Room A101 camera (demo)',
    room: 'A101',
    mode: 'pull',
    streamUrl: env().CAMERA_URL ?? null,
    snapshotUrl: null,
  });
  if (cameraCreated) {
    result.created.cameras++;
    await markDemoRow('cameras', camera.cameraId);
  }

  const courseDefs = [
    {
      code: 'CS101',
      courseName: 'Introduction to Programming (demo)',
      room: 'A101',
      start: [9, 0],
      end: [10, 30],
      cameraId: camera.cameraId,
    },
    { code: 'MA201', courseName: 'Linear Algebra (demo)', room: 'B204', start: [14, 0], end: [15, 30], cameraId: null },
  ] as const;

  const students = [];
  for (const [studentNumber, name] of STUDENTS) {
    const email = `${name.split(' ')[0]!.toLowerCase()}.${studentNumber.toLowerCase()}@students.example.edu`;
    const { student, created } = await ensureStudentByNumber({ studentNumber, name, email, photo: null });
    if (created) {
      result.created.students++;
      await markDemoRow('students', student.studentId);
    }
    students.push(student);
  }

  for (const [i, def] of courseDefs.entries()) {
    const { course, created } = await ensureCourseByCode({
      code: def.code,
      courseName: def.courseName,
      room: def.room,
      lecturerId: lecturer.userId,
    });
    if (created) {
      result.created.courses++;
      await markDemoRow('courses', course.courseId);
    }
    // Course 1 gets the first six students, course 2 the last six: some take both.
    const members = i === 0 ? students.slice(0, 6) : students.slice(2);
    for (const s of members) {
      if (await enrollStudent(course.courseId, s.studentId)) result.created.enrollments++;
    }
    const { session, created: sessionCreated } = await ensureSession({
      courseId: course.courseId,
      cameraId: def.cameraId,
      date: localDate(now),
      startsAt: todayAt(def.start[0], def.start[1], now),
      endsAt: todayAt(def.end[0], def.end[1], now),
      room: def.room,
      lateAfterMinutes: null,
      status: 'scheduled',
    });
    if (sessionCreated) {
      result.created.sessions++;
      await markDemoRow('class_sessions', session.sessionId);
    }
  }
  return result;
}

/** `--demo` / `--no-demo`; neither: ask on a terminal (default no), else no demo. */
async function wantsDemo(argv: string[]): Promise<boolean> {
  if (argv.includes('--demo')) return true;
  if (argv.includes('--no-demo')) return false;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    console.log('Seed: no demo data (run `npm run db:seed -- --demo` to add it).');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(
      "Load demo data (a lecturer, 2 courses, 8 fake students, a camera, today's sessions)? Not for a real install. [y/N] ",
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function main(): Promise<void> {
  loadEnvFiles();
  env();
  try {
    const demo = await wantsDemo(process.argv.slice(2));
    const { created, passwords } = await seed(new Date(), { demo });
    const total = Object.values(created).reduce((a, b) => a + b, 0);
    console.log(
      total === 0
        ? `Seed: ${demo ? 'admin and demo data' : 'the admin'} already present, nothing changed.`
        : `Seed: created ${JSON.stringify(created)}${demo ? ' (demo data: remove it with `npm run attendance -- demo remove`)' : ''}`,
    );
    for (const p of passwords) {
      console.log(`  ${p.email}  password: ${p.password}   (shown once; store it now)`);
    }
  } finally {
    await closeDb();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await runScript('db:seed', main, () => env().DATABASE_URL);
}
