import { route } from '@/lib/auth/route';
import { auditQuery } from '@/lib/dashboard/schemas';
import { listAuditLog } from '@/lib/data/audit-log';
import { auditPage } from '@/lib/dashboard/report-responses';

export const dynamic = 'force-dynamic';

/** `?actor=<userId>|system&action=student.delete&from=YYYY-MM-DD&to=YYYY-MM-DD&page=2`; names resolved. */
export const GET = route(
  {
    summary: 'Audit log with names (actor, student, course, camera), filtered by actor, action, from/to date; paged',
    roles: ['admin'],
    query: auditQuery,
    response: { json: auditPage },
  },
  async ({ query }) => Response.json(await listAuditLog(query)),
);
