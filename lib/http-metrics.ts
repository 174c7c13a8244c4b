import { Histogram } from 'prom-client';
import { registry } from './metrics';

/** Latency of the web app's API routes (every route goes through lib/auth/route.ts). */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'API request latency in the web app',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/**
 * A low-cardinality route label: ids, names and numbers in the path become `:id`
 * (`/api/students/1f0c…/photos` → `/api/students/:id/photos`).
 */
export function routeLabel(url: string): string {
  const { pathname } = new URL(url, 'http://localhost');
  return pathname
    .split('/')
    .map((seg, i, all) =>
      i > 0 &&
      (/\d/.test(seg) || seg.length >= 20 || (i === 3 && all[1] === 'api' && all.length > 4 && all[2] === 'devices'))
        ? ':id'
        : seg,
    )
    .join('/');
}
