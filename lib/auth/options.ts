import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { recordLogin, verifyCredentials } from '@/lib/data/users';
import { assertAuthSecret, env } from '@/lib/env';
import { createLogger } from '@/lib/log';

const credentialsSchema = z.object({
  email: z.email().max(255),
  password: z.string().min(1).max(200),
});

let options: NextAuthOptions | undefined;

/** Auth.js (next-auth v4) settings: email + password against `users`, JWT sessions. Built lazily. */
export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const settings = env();
  assertAuthSecret(settings);
  const log = createLogger('auth');
  if (settings.authSecretGenerated) {
    log.warn('AUTH_SECRET is not set: using a random secret, sign-ins end when the process restarts');
  }
  options = {
    secret: settings.AUTH_SECRET,
    // Secure (`__Secure-`) cookies whenever the public URL is https, whatever the proxy in front says.
    useSecureCookies: settings.NEXTAUTH_URL?.startsWith('https://') ?? false,
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await verifyCredentials(parsed.data.email, parsed.data.password);
          if (!user) {
            log.info({ email: parsed.data.email }, 'sign-in refused');
            return null;
          }
          await recordLogin(user.userId);
          log.info({ userId: user.userId }, 'signed in');
          return { id: user.userId, email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid && token.role) {
          session.user = { ...session.user, id: token.uid, role: token.role };
        }
        return session;
      },
    },
  };
  return options;
}
