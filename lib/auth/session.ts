import 'server-only';
import { getServerSession, type Session } from 'next-auth';
import { redirect } from 'next/navigation';
import type { UserRole } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { getAuthOptions } from './options';

export type SessionUser = Session['user'];

/** The signed-in user, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  return session?.user?.id ? session.user : null;
}

/** For pages: the signed-in user, or a redirect to /login. */
export async function requireUserOrRedirect(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

/** For route handlers: the signed-in user with one of `roles`, else UNAUTHORIZED / FORBIDDEN. */
export async function requireUser(roles?: readonly UserRole[]): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in first');
  if (roles && !roles.includes(user.role)) throw new AppError('FORBIDDEN', 'Your role cannot do this');
  return user;
}
