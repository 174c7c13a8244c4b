import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { removeDemoData } from '@/lib/enrollment/remove-demo';

export const dynamic = 'force-dynamic';

export const DELETE = route(
  {
    summary:
      'Remove the demo data (exactly the rows `db:seed -- --demo` created: lecturer, courses, students with their photos, camera, sessions); real rows stay; audited',
    roles: ['admin'],
    response: { json: z.object({ removed: z.record(z.string(), z.number().int()) }) },
  },
  async ({ user }) => Response.json({ removed: await removeDemoData(user.id) }),
);
