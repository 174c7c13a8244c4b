import 'server-only';
import { getServerSession, type Session } from 'next-auth';
import { redirect } from 'next/navigation';
import { USER_ROLES, type SessionRole, type UserRole } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { getAuthOptions } from './options';

/** Whoever is signed in: staff (a `users` row) or a student (role 'student', `id` = their students row). */
export type SignedInUser = Session['user'];
/** A signed-in member of staff: what every guard that names no 'student' hands back. */
export type SessionUser = Omit<SignedInUser, 'role'> & { role: UserRole };
/** The user a guard allowing `R` hands back: staff-typed unless 'student' is among the roles. */
export type UserFor<R extends SessionRole> = [Extract<R, 'student'>] extends [never] ? SessionUser : SignedInUser;

/**
 * The roles a guard lets in when it names none: staff only. A student is let in only where a route or
 * page names 'student', so no staff route admits one by default.
 */
export const STAFF_ROLES: readonly UserRole[] = USER_ROLES;

/** The signed-in user, or null. */
export async function currentUser(): Promise<SignedInUser | null> {
  const session = await getServerSession(getAuthOptions());
  return session?.user?.id ? session.user : null;
}

/** For pages: the signed-in user, or a redirect to /login. */
export async function requireUserOrRedirect(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

/** For route handlers: the signed-in user with one of `roles` (default: staff), else UNAUTHORIZED / FORBIDDEN. */
export async function requireUser<R extends SessionRole = UserRole>(roles?: readonly R[]): Promise<UserFor<R>> {
  const user = await currentUser();
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in first');
  const allowed: readonly SessionRole[] = roles ?? STAFF_ROLES;
  if (!allowed.includes(user.role)) throw new AppError('FORBIDDEN', 'Your role cannot do this');
  return user as UserFor<R>;
}
