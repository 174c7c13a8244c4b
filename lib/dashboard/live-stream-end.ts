import 'server-only';
import { getSession } from '@/lib/data/sessions';
import { getUserAuthState } from '@/lib/data/users';
import type { StreamEnd } from './live-stream';

/**
 * When a live stream must end: its user was disabled, deleted or had their token_version bumped (a
 * password reset, a disable), or its session was stopped, cancelled, deleted or is past its end time.
 * The version is read when the stream opens (the request's own session check has just accepted it).
 */
export async function streamEndCheck(
  userId: string,
  sessionId: string,
  now: () => Date = () => new Date(),
): Promise<() => Promise<StreamEnd | null>> {
  const openedWith = (await getUserAuthState(userId))?.tokenVersion;
  return async () => {
    const [user, session] = await Promise.all([getUserAuthState(userId), getSession(sessionId)]);
    if (!user || user.disabledAt || user.tokenVersion !== openedWith) return 'signed_out';
    if (!session || sessionOver(session, now())) return 'session_ended';
    return null;
  };
}

/** A session whose live view has nothing more to show: stopped, cancelled, or past its end. */
export function sessionOver(session: { status: string; endsAt: Date }, now: Date): boolean {
  return session.status === 'closed' || session.status === 'cancelled' || session.endsAt <= now;
}
