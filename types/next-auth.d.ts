import type { DefaultSession } from 'next-auth';
import type { SessionRole } from '@/db/schema';
import type { OidcRefusal } from '@/lib/auth/oidc';

declare module 'next-auth' {
  interface Session {
    /** `id` is the users row's id, or for role 'student' the students row's id. */
    user: { id: string; role: SessionRole } & DefaultSession['user'];
  }
  /** A `users` row signing in; an OIDC sign-in that was refused carries only the refusal (lib/auth/oidc.ts). */
  interface User {
    role?: SessionRole;
    tokenVersion?: number;
    refusal?: OidcRefusal;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    role?: SessionRole;
    /** The user's `token_version` (a student's `session_version`) at sign-in; the session is valid while it still matches. */
    tv?: number;
  }
}
