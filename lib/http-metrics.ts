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

type Params = Record<string, string | string[] | undefined>;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The route template as Next matched it (`/api/courses/abc/notifications` with `{ courseId: 'abc' }`
 * → `/api/courses/[courseId]/notifications`). Every path segment Next matched is either static (a
 * folder name, a fixed set) or a dynamic parameter, which becomes its `[name]`: the label never
 * carries what the caller typed, so anyone requesting random paths cannot grow the series.
 */
export function routeTemplate(url: string, params: Params): string {
  const { pathname } = new URL(url, 'http://localhost');
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') names.set(value, `[${name}]`);
    else for (const v of value ?? []) names.set(v, `[...${name}]`);
  }
  const out: string[] = [];
  for (const segment of pathname.split('/')) {
    const label = names.get(decoded(segment)) ?? segment;
    if (label.startsWith('[...') && out.at(-1) === label) continue; // a catch-all spans several segments
    out.push(label);
  }
  return out.join('/');
}
