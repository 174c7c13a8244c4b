import { route } from '@/lib/auth/route';
import { listPendingSuggestions } from '@/lib/data/unknown-face-review';
import { pendingSuggestions } from '@/lib/dashboard/student-responses';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    summary: "Lecturers' pending template suggestions (face, student, course, who suggested), newest first",
    roles: ['admin'],
    response: { json: pendingSuggestions },
  },
  async () => Response.json({ suggestions: await listPendingSuggestions() }),
);
