import { env } from '@/lib/env';
import { INTERNAL_TOKEN_HEADER, isValidInternalToken } from '@/lib/devices/internal-frames';
import { collectProcessMetrics, registry } from '@/lib/metrics';
import '@/lib/http-metrics';

export const dynamic = 'force-dynamic';

/** Prometheus scrape of the web process; the scraper sends `x-internal-token: <INTERNAL_TOKEN>`. */
export async function GET(req: Request): Promise<Response> {
  if (!isValidInternalToken(req.headers.get(INTERNAL_TOKEN_HEADER), env().INTERNAL_TOKEN)) {
    return Response.json({ error: { code: 'UNAUTHORIZED', message: `Send the ${INTERNAL_TOKEN_HEADER} header with INTERNAL_TOKEN` } }, { status: 401 });
  }
  collectProcessMetrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
