import { describe, expect, it } from 'vitest';
import { httpRequestDuration, routeLabel } from './http-metrics';
import { registry } from './metrics';

describe('routeLabel', () => {
  it('replaces ids, numbers and device names with :id', () => {
    expect(routeLabel('http://x/api/students/1f0c2d3e-aaaa-bbbb-cccc-123456789abc/photos')).toBe(
      '/api/students/:id/photos',
    );
    expect(routeLabel('http://x/api/devices/lobby/frames')).toBe('/api/devices/:id/frames');
    expect(routeLabel('http://x/api/reports?from=2025-01-01')).toBe('/api/reports');
    expect(routeLabel('http://x/api/courses')).toBe('/api/courses');
  });
});

describe('http_request_duration_seconds', () => {
  it('is exported in the Prometheus text', async () => {
    httpRequestDuration.observe({ method: 'GET', route: '/api/courses', status: '200' }, 0.012);
    const text = await registry.metrics();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/courses",status="200"\} 1/);
  });
});
