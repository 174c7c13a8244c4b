import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_ROUTES } from '@/app/api/route-list';
import { declaredRoutes, openApiDocument } from './openapi';

type Op = {
  summary: string;
  description: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }>;
};

const doc = openApiDocument(API_ROUTES) as { openapi: string; paths: Record<string, Record<string, Op>> };
const op = (path: string, method: string) => doc.paths[path]![method]!;

describe('the API document', () => {
  it('has one operation per declared route, and nothing else', () => {
    const inDoc = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(inDoc.sort()).toEqual(
      declaredRoutes(API_ROUTES)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    expect(doc.openapi).toBe('3.1.0');
    expect(inDoc.length).toBeGreaterThan(70);
  });

  it('says who may call each route, from its declaration', () => {
    expect(op('/api/students', 'get').description).toMatch(/^Roles: admin\. 401/);
    expect(op('/api/courses', 'get').description).toMatch(/^Roles: admin, lecturer\. /);
    expect(op('/api/sessions/{sessionId}', 'get').description).toContain(
      "Roles: admin, the course lecturer. 401 when signed out, 403 for another role or another lecturer's course.",
    );
    expect(op('/api/me', 'get').description).toMatch(/^Roles: student\. /);
    expect(op('/api/devices/{deviceId}/frames', 'post').description).toMatch(/^Public/);
  });

  it('shows path and query parameters, the request body and the response body', () => {
    expect(op('/api/sessions', 'get').parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['query:from', 'query:to']);
    expect(op('/api/students/{studentId}/photos/{photoId}', 'delete').parameters.map((p) => p.name)).toEqual([
      'studentId',
      'photoId',
    ]);
    expect(op('/api/students', 'post').requestBody!.content['application/json']!.schema.properties).toHaveProperty(
      'studentNumber',
    );
    expect(
      op('/api/students/import', 'post').requestBody!.content['multipart/form-data']!.schema.properties,
    ).toHaveProperty('roster');
    expect(
      op('/api/students', 'post').responses['201']!.content!['application/json']!.schema!.properties,
    ).toHaveProperty('studentId');
    expect(Object.keys(op('/api/reports', 'get').responses['200']!.content!)).toEqual([
      'application/json',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(op('/api/courses/{courseId}/enrollments/{studentId}', 'delete').responses['204']).toEqual({
      description: 'OK',
    });
  });

  it('is built from whatever modules it is given', () => {
    const GET = Object.assign(async () => Response.json({}), {
      declaration: {
        summary: 'A thing',
        roles: ['admin' as const],
        public: false,
        ownCourse: false,
        response: { json: z.object({ n: z.number() }) },
      },
    });
    const built = openApiDocument({ '/api/things': { GET } }) as { paths: object };
    expect(built.paths).toEqual({
      '/api/things': {
        get: expect.objectContaining({
          summary: 'A thing',
          responses: expect.objectContaining({
            '200': {
              description: 'OK',
              content: { 'application/json': { schema: expect.objectContaining({ required: ['n'] }) } },
            },
          }),
        }),
      },
    });
  });
});
