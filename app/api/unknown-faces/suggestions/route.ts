import { route } from '@/lib/auth/route';
import { listPendingSuggestions } from '@/lib/data/unknown-face-review';

export const dynamic = 'force-dynamic';

/** Lecturers' pending "this is <student>" suggestions, for an admin to approve or decline. */
export const GET = route({ roles: ['admin'] }, async () =>
  Response.json({ suggestions: await listPendingSuggestions() }),
);
