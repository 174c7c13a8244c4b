import { route } from '@/lib/auth/route';
import { removeDemoData } from '@/lib/enrollment/remove-demo';

export const dynamic = 'force-dynamic';

/** Deletes exactly the rows the demo seed created (real rows stay); audited. */
export const DELETE = route({ roles: ['admin'] }, async ({ user }) =>
  Response.json({ removed: await removeDemoData(user.id) }),
);
