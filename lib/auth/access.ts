import type { ClassSession, Course } from '@/db/schema';
import { getCourseOrThrow } from '@/lib/data/courses';
import { getSessionWithCourse } from '@/lib/data/session-admin';
import { AppError } from '@/lib/errors';
import type { SessionUser } from './session';

/** Admins see everything; a lecturer only the courses whose `lecturer_id` is theirs. */
export function canAccessCourse(user: Pick<SessionUser, 'id' | 'role'>, course: Pick<Course, 'lecturerId'>): boolean {
  return user.role === 'admin' || (course.lecturerId !== null && course.lecturerId === user.id);
}

export function assertCourseAccess(user: Pick<SessionUser, 'id' | 'role'>, course: Pick<Course, 'lecturerId'>): void {
  if (!canAccessCourse(user, course)) throw new AppError('FORBIDDEN', 'This course belongs to another lecturer');
}

/** The lecturer filter for list queries: null means "all courses" (admin). */
export function lecturerScope(user: Pick<SessionUser, 'id' | 'role'>): string | null {
  return user.role === 'admin' ? null : user.id;
}

/** A session and its course, for a user who may see that course (404 unknown session, 403 another lecturer's). */
export async function sessionWithCourseAccess(
  sessionId: string,
  user: Pick<SessionUser, 'id' | 'role'>,
): Promise<{ session: ClassSession; course: Course }> {
  const found = await getSessionWithCourse(sessionId);
  assertCourseAccess(user, found.course);
  return found;
}

/** A course the user may see (404 unknown course, 403 another lecturer's). */
export async function courseWithAccess(courseId: string, user: Pick<SessionUser, 'id' | 'role'>): Promise<Course> {
  const course = await getCourseOrThrow(courseId);
  assertCourseAccess(user, course);
  return course;
}
