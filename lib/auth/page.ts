import 'server-only';
import { forbidden, notFound, redirect } from 'next/navigation';
import type { UserRole } from '@/db/schema';
import { isAppError } from '@/lib/errors';
import { currentUser, type SessionUser } from './session';

/**
 * For pages: the signed-in user with one of `roles`. Signed out → /login (coming back to `path`),
 * wrong role → the 403 page (`forbidden()`, needs experimental.authInterrupts).
 */
export async function requirePageUser(roles?: readonly UserRole[], path?: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(path ? `/login?callbackUrl=${encodeURIComponent(path)}` : '/login');
  if (roles && !roles.includes(user.role)) forbidden();
  return user;
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
