import { randomInt } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GET as getCourse } from '@/app/api/courses/[courseId]/route';
import { env, resetEnvCache } from '@/lib/env';
import { GET } from './route';

vi.mock('next-auth', async (orig) => ({ ...(await orig<object>()), getServerSession: async () => null }));

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

  it('keeps the latency histogram bounded: 300 anonymous requests for random course ids add one series, not 300', async () => {
    withToken();
    const letters = () => Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join('');
    for (let i = 0; i < 300; i++) {
      const courseId = letters();
      const res = await getCourse(new Request(`http://localhost/api/courses/${courseId}`), {
        params: Promise.resolve({ courseId }),
      });
      expect(res.status).toBe(401);
    }
    const text = await (
      await GET(new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }))
    ).text();
    const series = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('http_request_duration_seconds_count{'))
        .map((l) => l.split(' ')[0]),
    );
    expect(series.size).toBeLessThan(50);
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/courses/[courseId]",status="401"} 300',
    );
  });
});
