import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/options';

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// Options are built on the first request, so `next build` never needs AUTH_SECRET or the database.
const handler: Handler = (req, ctx) => (NextAuth(getAuthOptions()) as Handler)(req, ctx);

export { handler as GET, handler as POST };
