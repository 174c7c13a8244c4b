import { route } from '@/lib/auth/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

export const GET = route({ public: true }, async () => {
  const report = await checkHealth();
  return Response.json(report, {
    status: report.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
});
