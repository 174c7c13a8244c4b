import { afterEach, describe, expect, it } from 'vitest';
import { env, resetEnvCache } from '@/lib/env';
import { GET } from './route';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('GET /api/metrics', () => {
  afterEach(() => {
    delete process.env.METRICS_TOKEN;
    resetEnvCache();
  });
  const withToken = () => {
    process.env.METRICS_TOKEN = TOKEN;
    resetEnvCache();
  };

  it('is off without METRICS_TOKEN', async () => {
    const res = await GET(
      new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/set METRICS_TOKEN/);
  });

  it('refuses a scrape without its own token — the internal token does not open it', async () => {
    withToken();
    expect((await GET(new Request('http://localhost/api/metrics'))).status).toBe(401);
    expect(
      (
        await GET(
          new Request('http://localhost/api/metrics', { headers: { 'x-internal-token': env().INTERNAL_TOKEN } }),
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await GET(
          new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${env().INTERNAL_TOKEN}` } }),
        )
      ).status,
    ).toBe(401);
  });

  it('serves Prometheus text with the API latency histogram to a scraper with the token', async () => {
    withToken();
    const res = await GET(
      new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('process_cpu_seconds_total');
  });
});
