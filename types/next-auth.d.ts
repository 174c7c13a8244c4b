import type { DefaultSession } from 'next-auth';
import type { UserRole } from '@/db/schema';
import type { OidcRefusal } from '@/lib/auth/oidc';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: UserRole } & DefaultSession['user'];
  }
  /** A `users` row signing in; an OIDC sign-in that was refused carries only the refusal (lib/auth/oidc.ts). */
  interface User {
    role?: UserRole;
    tokenVersion?: number;
    refusal?: OidcRefusal;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    role?: UserRole;
    /** The user's `token_version` at sign-in; the session is valid while it still matches. */
    tv?: number;
  }
}
