import { route } from '@/lib/auth/route';
import { auditQuery } from '@/lib/dashboard/schemas';
import { listAuditLog } from '@/lib/data/audit-log';

export const dynamic = 'force-dynamic';

/** `?actor=<userId>|system&action=student.delete&from=YYYY-MM-DD&to=YYYY-MM-DD&page=2`; names resolved. */
export const GET = route({ roles: ['admin'], query: auditQuery }, async ({ query }) =>
  Response.json(await listAuditLog(query)),
);
