import 'server-only';
import { forbidden, notFound, redirect } from 'next/navigation';
import type { SessionRole, UserRole } from '@/db/schema';
import { isAppError } from '@/lib/errors';
import { currentUser, STAFF_ROLES, type UserFor } from './session';

/**
 * For pages: the signed-in user with one of `roles` (default: staff). Signed out → /login (coming back
 * to `path`); a student on a staff page → their own page (/me); any other wrong role → the 403 page
 * (`forbidden()`, needs experimental.authInterrupts).
 */
export async function requirePageUser<R extends SessionRole = UserRole>(
  roles?: readonly R[],
  path?: string,
): Promise<UserFor<R>> {
  const user = await currentUser();
  if (!user) redirect(path ? `/login?callbackUrl=${encodeURIComponent(path)}` : '/login');
  const allowed: readonly SessionRole[] = roles ?? STAFF_ROLES;
  if (!allowed.includes(user.role)) {
    if (user.role === 'student') redirect('/me');
    forbidden();
  }
  return user as UserFor<R>;
}

/** Runs a lib call for a page, turning FORBIDDEN / NOT_FOUND AppErrors into the 403 / 404 pages. */
export async function forPage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isAppError(err) && err.code === 'FORBIDDEN') forbidden();
    if (isAppError(err) && err.code === 'NOT_FOUND') notFound();
    throw err;
  }
}
