/**
 * Rows for tests, made through the real lib/data functions. Every value is unique per call so tests
 * can share a database without colliding.
 */
import { randomBytes } from 'node:crypto';
import type { Camera, ClassSession, Course, Student, User, UserRole } from '@/db/schema';
import { createCamera } from '@/lib/data/cameras';
import { createCourse } from '@/lib/data/courses';
import { createSession } from '@/lib/data/sessions';
import { createStudent } from '@/lib/data/students';
import { createUser } from '@/lib/data/users';

const uniq = () => randomBytes(4).toString('hex');

export async function makeUser(
  overrides: Partial<{ email: string; name: string; password: string; role: UserRole }> = {},
): Promise<User> {
  const id = uniq();
  return createUser({
    email: `user-${id}@example.edu`,
    name: `User ${id}`,
    password: 'correct horse battery',
    role: 'lecturer',
    ...overrides,
  });
}

export async function makeStudent(
  overrides: Partial<Pick<Student, 'name' | 'studentNumber' | 'email'>> = {},
): Promise<Student> {
  const id = uniq();
  return createStudent(
    { name: `Student ${id}`, studentNumber: `T${id}`, email: null, photo: null, ...overrides },
    null,
  );
}

export async function makeCourse(
  overrides: Partial<Pick<Course, 'code' | 'courseName' | 'lecturerId' | 'room'>> = {},
): Promise<Course> {
  const id = uniq();
  return createCourse({ code: `C${id}`, courseName: `Course ${id}`, lecturerId: null, room: null, ...overrides }, null);
}

export async function makeCamera(
  overrides: Partial<Pick<Camera, 'name' | 'room' | 'mode' | 'streamUrl' | 'liveness'>> = {},
): Promise<Camera> {
  return createCamera(
    {
      name: `Camera ${uniq()}`,
      room: 'A1',
      mode: 'pull',
      streamUrl: null,
      snapshotUrl: null,
      ...overrides,
    },
    null,
    null,
  );
}

/** A session of `courseId` (a new course if omitted) running from now - 10 min to now + 80 min. */
export async function makeSession(
  overrides: Partial<Pick<ClassSession, 'courseId' | 'cameraId' | 'startsAt' | 'endsAt' | 'status' | 'room'>> = {},
): Promise<ClassSession> {
  const courseId = overrides.courseId ?? (await makeCourse()).courseId;
  const startsAt = overrides.startsAt ?? new Date(Date.now() - 10 * 60_000);
  const endsAt = overrides.endsAt ?? new Date(startsAt.getTime() + 90 * 60_000);
  return createSession(
    {
      courseId,
      cameraId: overrides.cameraId ?? null,
      date: startsAt.toISOString().slice(0, 10),
      startsAt,
      endsAt,
      room: overrides.room ?? null,
      lateAfterMinutes: null,
      status: overrides.status ?? 'scheduled',
    },
    null,
  );
}
