/**
 * Is a signed-in session still valid? The JWT carries the user id and `token_version` from sign-in;
 * each request compares them with the user's row: a disabled user, a bumped version (disable,
 * password reset) or a deleted user ends the session. The row is cached per process for at most
 * SESSION_CHECK_TTL_MS, so a change made in this process counts at once (the caller forgets the
 * entry), and one made elsewhere (the CLI, another replica) within that window.
 */
import type { SessionRole } from '@/db/schema';
import { getStudentAuthState } from '@/lib/data/student-accounts';
import { getUserAuthState, type UserAuthState } from '@/lib/data/users';

/** What a session is checked against: a user's row, or a student's (role 'student', never disabled). */
type AuthState = Omit<UserAuthState, 'role' | 'userId'> & { role: SessionRole };

export const SESSION_CHECK_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** Thrown from the jwt callback: Auth.js then treats the request as signed out and clears the cookie. */
export class SessionEndedError extends Error {
  constructor(
    readonly userId: string | undefined,
    readonly reason: 'disabled' | 'token_version' | 'no_user',
  ) {
    super(`session ended (${reason})`);
    this.name = 'SessionEndedError';
  }
}

type Loader = (userId: string) => Promise<AuthState | undefined>;

export class SessionChecker {
  private readonly cache = new Map<string, { state: AuthState | undefined; until: number }>();

  constructor(
    private readonly load: Loader = getUserAuthState,
    private readonly ttlMs = SESSION_CHECK_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user's current role and name when the token's version still holds; throws SessionEndedError otherwise. */
  async check(
    userId: string | undefined,
    tokenVersion: number | undefined,
  ): Promise<{ role: SessionRole; name: string; email: string }> {
    if (!userId) throw new SessionEndedError(userId, 'no_user');
    const state = await this.state(userId);
    if (!state) throw new SessionEndedError(userId, 'no_user');
    if (state.disabledAt) throw new SessionEndedError(userId, 'disabled');
    // Tokens issued before token_version existed carry none: they match the column's default 0.
    if (state.tokenVersion !== (tokenVersion ?? 0)) throw new SessionEndedError(userId, 'token_version');
    return { role: state.role, name: state.name, email: state.email };
  }

  /** Drops the cached row, so the next request of this user reads it again (after an admin change). */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private async state(userId: string): Promise<AuthState | undefined> {
    const t = this.now();
    const hit = this.cache.get(userId);
    if (hit && hit.until > t) return hit.state;
    const state = await this.load(userId);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(userId, { state, until: t + this.ttlMs });
    return state;
  }
}

/**
 * The web process's checker. Next bundles this module separately for route handlers and for pages,
 * so the one instance lives on globalThis: an admin change made through the API (which forgets the
 * user's row) must be seen at once by the pages too.
 */
const KEY = Symbol.for('attendance.sessionChecker');
export const sessionChecker: SessionChecker = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new SessionChecker()) as SessionChecker;

/**
 * Signed-in students' checker: their `students` row must still exist and its `session_version` match
 * (deleting the student, or changing the number or e-mail that linked them, ends their sessions).
 */
const STUDENT_KEY = Symbol.for('attendance.studentSessionChecker');
export const studentSessionChecker: SessionChecker = ((globalThis as Record<symbol, unknown>)[STUDENT_KEY] ??=
  new SessionChecker(getStudentAuthState)) as SessionChecker;
