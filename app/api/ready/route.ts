import { route } from '@/lib/auth/route';
import { checkReadiness } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers / orchestrators: 200 only when the DB answers and is fully migrated. */
export const GET = route({ public: true }, async () => {
  const report = await checkReadiness();
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
