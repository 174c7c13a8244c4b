import { describe, expect, it } from 'vitest';
import { httpRequestDuration, routeTemplate } from './http-metrics';
import { registry } from './metrics';

describe('routeTemplate', () => {
  it('labels by the route template Next matched, never by what the caller typed', () => {
    expect(
      routeTemplate('http://x/api/students/1f0c2d3e-aaaa-bbbb-cccc-123456789abc/photos', {
        studentId: '1f0c2d3e-aaaa-bbbb-cccc-123456789abc',
      }),
    ).toBe('/api/students/[studentId]/photos');
    expect(routeTemplate('http://x/api/devices/lobby/frames', { deviceId: 'lobby' })).toBe(
      '/api/devices/[deviceId]/frames',
    );
    // Letters only: the old heuristic kept these, one series per random name.
    expect(routeTemplate('http://x/api/courses/qwertyzx', { courseId: 'qwertyzx' })).toBe('/api/courses/[courseId]');
    expect(routeTemplate('http://x/api/courses/a%20b/notifications', { courseId: 'a b' })).toBe(
      '/api/courses/[courseId]/notifications',
    );
    expect(routeTemplate('http://x/api/auth/callback/credentials', { nextauth: ['callback', 'credentials'] })).toBe(
      '/api/auth/[...nextauth]',
    );
    expect(routeTemplate('http://x/api/reports?from=2025-01-01', {})).toBe('/api/reports');
    expect(routeTemplate('http://x/api/courses', {})).toBe('/api/courses');
  });
});

describe('http_request_duration_seconds', () => {
  it('is exported in the Prometheus text', async () => {
    httpRequestDuration.observe({ method: 'GET', route: '/api/courses', status: '200' }, 0.012);
    const text = await registry.metrics();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/courses",status="200"\} 1/);
  });
});
