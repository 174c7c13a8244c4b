import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { checkReadiness } from '@/lib/health';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    public: true,
    summary: 'Readiness probe: 200 only when the database answers and every migration is applied (else 503)',
    response: {
      json: z.object({
        ready: z.boolean(),
        checks: z.object({
          database: z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() }),
          migrations: z.object({
            ok: z.boolean(),
            applied: z.number().int().optional(),
            expected: z.number().int(),
            error: z.string().optional(),
          }),
        }),
      }),
    },
  },
  async () => {
    const report = await checkReadiness();
    return Response.json(report, { status: report.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
  },
);
