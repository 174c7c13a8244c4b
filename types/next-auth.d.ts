import type { DefaultSession } from 'next-auth';
import type { UserRole } from '@/db/schema';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: UserRole } & DefaultSession['user'];
  }
  interface User {
    role: UserRole;
    tokenVersion: number;
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
