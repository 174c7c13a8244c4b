import { route } from '@/lib/auth/route';
import { env } from '@/lib/env';
import { isValidInternalToken } from '@/lib/devices/internal-frames';
import { collectProcessMetrics, registry } from '@/lib/metrics';
import '@/lib/http-metrics';

export const dynamic = 'force-dynamic';

/**
 * Prometheus scrape of the web process, with its own token (METRICS_TOKEN, sent as
 * `Authorization: Bearer …`): the token a scraper holds cannot push frames or read camera images.
 */
export const GET = route(
  {
    public: true,
    summary:
      'Prometheus metrics of the web process (`Authorization: Bearer <METRICS_TOKEN>`; 404 when METRICS_TOKEN is unset)',
    response: { contentType: ['text/plain'] },
  },
  async ({ req }) => {
    const expected = env().METRICS_TOKEN;
    if (!expected)
      return Response.json(
        { error: { code: 'NOT_FOUND', message: 'Metrics are off: set METRICS_TOKEN to scrape /api/metrics' } },
        { status: 404 },
      );
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
    if (!isValidInternalToken(bearer, expected)) {
      return Response.json(
        { error: { code: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <METRICS_TOKEN>' } },
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    collectProcessMetrics();
    return new Response(await registry.metrics(), {
      headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
    });
  },
);
