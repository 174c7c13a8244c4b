import 'server-only';
import { incrementAuditCount, writeAudit } from '@/lib/data/audit';
import { findUserByEmail } from '@/lib/data/users';
import { createLogger } from '@/lib/log';
import { normaliseEmail } from './login-limit';

export type SignInOutcome = 'signed_in' | 'failed' | 'rate_limited';

/** Most emails whose refused-attempt row is remembered at once; past it, each refused attempt gets its own row. */
const MAX_LIMITED_EMAILS = 10_000;

/** email → its refused-attempt audit row for the current limit window. */
const limitedRows = new Map<string, { auditId: Promise<string | null>; until: number }>();

/**
 * Audits a sign-in attempt: `auth.sign_in` by the user, or `auth.sign_in_failed` with the normalised
 * email that was tried and the client IP (never the password). A failed attempt on an existing account
 * names it as the entity, so the audit page shows whose account was tried. Attempts the brute-force
 * limit refused are counted in one row per email and limit window (`reason: too_many_attempts`,
 * `attempts: n`), so a flood of refused tries cannot flood the log. Single sign-ins add `method: oidc`,
 * and refusals other than a wrong password their `reason`. An audit write that fails is
 * logged and does not change the sign-in's answer.
 */
export async function auditSignIn(attempt: {
  email: string;
  ip: string;
  outcome: SignInOutcome;
  /** For `rate_limited`: seconds until the limit lets this email try again. */
  retryAfterSeconds?: number;
  /** How the person signed in; password sign-ins (the default) leave it out of the row. */
  method?: 'password' | 'oidc';
  /** For `failed`: why, when it was not a wrong password (e.g. `not_registered`, `disabled`). */
  reason?: string;
}): Promise<void> {
  const extra = {
    ...(attempt.method && attempt.method !== 'password' ? { method: attempt.method } : {}),
    ...(attempt.reason ? { reason: attempt.reason } : {}),
  };
  const email = normaliseEmail(attempt.email).slice(0, 255);
  try {
    if (attempt.outcome === 'rate_limited') {
      await countRefused(email, attempt.ip, attempt.retryAfterSeconds ?? 0);
      return;
    }
    const user = email ? await findUserByEmail(email) : undefined;
    if (attempt.outcome === 'signed_in' && user) {
      await writeAudit({
        actorUserId: user.userId,
        action: 'auth.sign_in',
        entity: 'users',
        entityId: user.userId,
        details: { ip: attempt.ip, ...extra },
      });
      return;
    }
    await writeAudit({
      actorUserId: null,
      action: 'auth.sign_in_failed',
      entity: 'users',
      entityId: user?.userId ?? null,
      details: { email, ip: attempt.ip, ...extra },
    });
  } catch (err) {
    createLogger('auth').error({ err, outcome: attempt.outcome }, 'sign-in audit write failed');
  }
}

async function countRefused(email: string, ip: string, retryAfterSeconds: number): Promise<void> {
  const now = Date.now();
  for (const [key, row] of limitedRows) if (row.until <= now) limitedRows.delete(key);
  const open = limitedRows.get(email);
  if (open) {
    const auditId = await open.auditId;
    if (auditId) await incrementAuditCount(auditId, 'attempts');
    return;
  }
  const insert = async () => {
    const user = email ? await findUserByEmail(email) : undefined;
    return writeAudit({
      actorUserId: null,
      action: 'auth.sign_in_failed',
      entity: 'users',
      entityId: user?.userId ?? null,
      details: { email, ip, reason: 'too_many_attempts', attempts: 1 },
    });
  };
  if (limitedRows.size >= MAX_LIMITED_EMAILS) {
    await insert();
    return;
  }
  // Concurrent refusals of one email wait for the same insert, then count on its row.
  const auditId = insert().catch((err: unknown) => {
    limitedRows.delete(email);
    createLogger('auth').error({ err }, 'sign-in audit write failed');
    return null;
  });
  limitedRows.set(email, { auditId, until: now + Math.max(1, retryAfterSeconds) * 1000 });
  await auditId;
}

/** A student's campus sign-in: they have no users row, so the entry names their students row (the actor column holds only users). */
export async function auditStudentSignIn(studentId: string, ip: string): Promise<void> {
  try {
    await writeAudit({
      actorUserId: null,
      action: 'auth.sign_in',
      entity: 'student',
      entityId: studentId,
      details: { ip, method: 'oidc', role: 'student' },
    });
  } catch (err) {
    createLogger('auth').error({ err, studentId }, 'sign-in audit failed');
  }
}
