import { describe, expect, it } from 'vitest';
import { env } from '@/lib/env';
import { GET } from './route';

describe('GET /api/metrics', () => {
  it('refuses a scrape without the internal token', async () => {
    const res = await GET(new Request('http://localhost/api/metrics'));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHORIZED');
  });

  it('serves Prometheus text with the API latency histogram to a scraper with the token', async () => {
    const res = await GET(new Request('http://localhost/api/metrics', { headers: { 'x-internal-token': env().INTERNAL_TOKEN } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('process_cpu_seconds_total');
  });
});
