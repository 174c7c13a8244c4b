import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { recordLogin, verifyCredentials } from '@/lib/data/users';
import { assertAuthSecret, env } from '@/lib/env';
import { createLogger } from '@/lib/log';
import { clientIp } from './client-ip';
import { loginLimiter } from './login-limit';
import { OIDC_PROVIDER_ID, oidcConfig, oidcProvider } from './oidc';
import { safeCallback } from './safe-callback';
import { SessionEndedError, sessionChecker, studentSessionChecker } from './session-check';
import { auditSignIn, auditStudentSignIn } from './sign-in-audit';
import { recordRefusal, signInHeaders } from './sign-in-refusal';

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(255)),
  password: z.string().min(1).max(200),
});

/** Auth.js's error code for an attempt the brute-force limit refused (the route answers it with 429). */
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

let options: NextAuthOptions | undefined;

/**
 * Auth.js (next-auth v4) settings: email + password against `users`, and campus single sign-on when
 * OIDC_ISSUER is set (lib/auth/oidc.ts); JWT sessions. Built lazily, from the settings at run time.
 */
export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const settings = env();
  assertAuthSecret(settings);
  const log = createLogger('auth');
  if (settings.authSecretGenerated) {
    log.warn('AUTH_SECRET is not set: using a random secret, sign-ins end when the process restarts');
  }
  const oidc = oidcConfig(settings);
  options = {
    secret: settings.AUTH_SECRET,
    // Secure (`__Secure-`) cookies whenever the public URL is https, whatever the proxy in front says.
    useSecureCookies: settings.NEXTAUTH_URL?.startsWith('https://') ?? false,
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    // Auth.js's own error page (a failed OAuth callback, a bad state) is the login page with `?error=`.
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        /**
         * Every password check goes through here, whatever path or body shape brought it (Auth.js parsed
         * the credentials): the brute-force limit takes its point first and refuses — the right
         * password too — while the email or client IP is over it (lib/auth/login-limit.ts).
         */
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          const ip = clientIp(req.headers ?? {}, env().TRUSTED_PROXIES);
          const attempt = await loginLimiter.begin(email, ip);
          if (!attempt.allowed) {
            log.debug({ email, ip }, 'sign-in refused: too many failed attempts');
            await auditSignIn({ email, ip, outcome: 'rate_limited', retryAfterSeconds: attempt.retryAfterSeconds });
            recordRefusal(attempt.retryAfterSeconds);
            throw new Error(TOO_MANY_ATTEMPTS);
          }
          let user: Awaited<ReturnType<typeof verifyCredentials>>;
          try {
            user = await verifyCredentials(email, password);
          } catch (err) {
            await attempt.settle(null);
            throw err;
          }
          // LOCAL_PASSWORDS=admins: a right password of anyone but an admin counts as a wrong one, so the
          // answer (and the limit) tells nobody whether it was right; the login page says who may use passwords.
          const passwordsOff = user !== null && settings.LOCAL_PASSWORDS === 'admins' && user.role !== 'admin';
          await attempt.settle(user !== null && !passwordsOff);
          if (!user || passwordsOff) {
            const reason = passwordsOff ? 'passwords_admins_only' : undefined;
            await auditSignIn({ email, ip, outcome: 'failed', reason });
            log.info({ email, reason }, 'sign-in refused');
            return null;
          }
          await auditSignIn({ email, ip, outcome: 'signed_in' });
          await recordLogin(user.userId);
          log.info({ userId: user.userId }, 'signed in');
          return {
            id: user.userId,
            email: user.email,
            name: user.name,
            role: user.role,
            tokenVersion: user.tokenVersion,
          };
        },
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    callbacks: {
      /**
       * A campus sign-in goes on only as a `users` row (lib/auth/oidc.ts resolved it in the provider's
       * profile()); a refusal goes to the page that says why. Audited like a password sign-in.
       */
      async signIn({ user, account }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const ip = clientIp(signInHeaders(), env().TRUSTED_PROXIES);
        const email = user.email ?? '';
        if (user.refusal || !user.role) {
          const reason = user.refusal ?? 'not_registered';
          await auditSignIn({ email, ip, outcome: 'failed', method: 'oidc', reason });
          log.info({ email, reason }, 'single sign-on refused');
          return `/login/refused?reason=${reason}`;
        }
        if (user.role === 'student') {
          await auditStudentSignIn(user.id, ip);
          log.info({ studentId: user.id }, 'student signed in (single sign-on)');
          return true;
        }
        await auditSignIn({ email, ip, outcome: 'signed_in', method: 'oidc' });
        await recordLogin(user.id);
        log.info({ userId: user.id }, 'signed in (single sign-on)');
        return true;
      },
      /** Auth.js's own redirects (its callbackUrl) stay on this app, by the same rule as the login page's. */
      redirect({ url, baseUrl }) {
        let target: URL;
        try {
          target = new URL(url, baseUrl);
        } catch {
          return baseUrl;
        }
        const origin = new URL(baseUrl).origin;
        if (target.origin !== origin) return baseUrl;
        return `${origin}${safeCallback(`${target.pathname}${target.search}`)}`;
      },
      /**
       * At sign-in the token gets the user id and token_version; on every later request the user's
       * row (cached ≤ 5 s) must still match, else SessionEndedError: the request is signed out.
       * Role and name come from the row, so a role change counts from the next request too.
       */
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.tv = user.tokenVersion;
          return token;
        }
        const checker = token.role === 'student' ? studentSessionChecker : sessionChecker;
        const current = await checker.check(token.uid, token.tv);
        token.role = current.role;
        token.name = current.name;
        token.email = current.email;
        return token;
      },
      session({ session, token }) {
        if (token.uid && token.role) {
          session.user = { ...session.user, id: token.uid, role: token.role, name: token.name, email: token.email };
        }
        return session;
      },
    },
    // Auth.js reports a throwing jwt callback as JWT_SESSION_ERROR: an ended session is routine, not an error.
    logger: {
      error(code, metadata) {
        if (metadata instanceof SessionEndedError)
          log.info({ userId: metadata.userId, reason: metadata.reason }, 'session ended: signed out');
        else log.error({ code, err: metadata }, 'auth error');
      },
      warn(code) {
        log.warn({ code }, 'auth warning');
      },
      debug(code, metadata) {
        log.debug({ code, metadata }, 'auth debug');
      },
    },
  };
  return options;
}
