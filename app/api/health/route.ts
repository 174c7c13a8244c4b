import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

const dbCheck = z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() });

export const GET = route(
  {
    public: true,
    summary: 'Liveness probe: the database answers (503 with the same body when it does not)',
    response: {
      json: z.object({
        status: z.enum(['ok', 'degraded']),
        uptimeSeconds: z.number(),
        checks: z.object({ database: dbCheck }),
      }),
    },
  },
  async () => {
    const report = await checkHealth();
    return Response.json(report, {
      status: report.status === 'ok' ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
    });
  },
);
