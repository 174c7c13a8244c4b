import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { parseQuery } from '@/lib/dashboard/query';
import { listAuditLog } from '@/lib/data/overview';

export const dynamic = 'force-dynamic';

const query = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = route({ roles: ['admin'] }, async ({ req }) => Response.json(await listAuditLog(parseQuery(req, query))));
