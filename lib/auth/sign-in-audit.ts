import 'server-only';
import { writeAudit } from '@/lib/data/audit';
import { findUserByEmail } from '@/lib/data/users';
import { createLogger } from '@/lib/log';
import { normaliseEmail } from './login-limit';

export type SignInOutcome = 'signed_in' | 'failed' | 'rate_limited';

/**
 * One audit row per sign-in attempt: `auth.sign_in` by the user, or `auth.sign_in_failed` with the
 * normalised email that was tried and the client IP (never the password). A failed attempt on an
 * existing account names it as the entity, so the audit page shows whose account was tried. An audit
 * write that fails is logged and does not change the sign-in's answer.
 */
export async function auditSignIn(attempt: { email: string; ip: string; outcome: SignInOutcome }): Promise<void> {
  const email = normaliseEmail(attempt.email).slice(0, 255);
  try {
    const user = email ? await findUserByEmail(email) : undefined;
    if (attempt.outcome === 'signed_in' && user) {
      await writeAudit({
        actorUserId: user.userId,
        action: 'auth.sign_in',
        entity: 'users',
        entityId: user.userId,
        details: { ip: attempt.ip },
      });
      return;
    }
    await writeAudit({
      actorUserId: null,
      action: 'auth.sign_in_failed',
      entity: 'users',
      entityId: user?.userId ?? null,
      details: {
        email,
        ip: attempt.ip,
        ...(attempt.outcome === 'rate_limited' ? { reason: 'too_many_attempts' } : {}),
      },
    });
  } catch (err) {
    createLogger('auth').error({ err, outcome: attempt.outcome }, 'sign-in audit write failed');
  }
}
