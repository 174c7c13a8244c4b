import { checkReadiness } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers / orchestrators: 200 only when the DB answers and is fully migrated. */
export async function GET(): Promise<Response> {
  const report = await checkReadiness();
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
