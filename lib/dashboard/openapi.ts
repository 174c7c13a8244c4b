import { z } from 'zod';
import type { DeclaredHandler, RouteDeclaration } from '@/lib/dashboard/route-declaration';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** One operation of the API: a method on a path and the declaration its `route()` handler carries. */
export interface DeclaredRoute {
  path: string;
  method: (typeof METHODS)[number];
  declaration: RouteDeclaration;
}

/** The declared operations of route modules keyed by URL path; handlers not made by `route()` (Auth.js's) are left out. */
export function declaredRoutes(modules: Record<string, Record<string, unknown>>): DeclaredRoute[] {
  return Object.entries(modules).flatMap(([path, mod]) =>
    METHODS.flatMap((method) => {
      const declaration = (mod[method] as Partial<DeclaredHandler> | undefined)?.declaration;
      return declaration ? [{ path, method, declaration }] : [];
    }),
  );
}

/** The schema as JSON Schema, without the `$schema` line each standalone document carries. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

/** Who may call it, in words. */
export function accessText(d: RouteDeclaration): string {
  if (d.public) return 'Public (no session; a device or metrics route checks its own token)';
  const roles = d.roles.map((r) => (r === 'lecturer' && d.ownCourse ? 'the course lecturer' : r));
  return `Roles: ${roles.join(', ')}. 401 when signed out, 403 for another role${d.ownCourse ? " or another lecturer's course" : ''}.`;
}

function parameters(d: RouteDeclaration, path: string): unknown[] {
  const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = d.query ? (jsonSchema(d.query, 'input') as { properties?: object; required?: string[] }) : {};
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema,
  }));
  return [...inPath, ...inQuery];
}

function requestBody(d: RouteDeclaration): object {
  if (d.body)
    return {
      requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(d.body, 'input') } } },
    };
  if (d.form)
    return {
      requestBody: { required: true, content: { 'multipart/form-data': { schema: jsonSchema(d.form, 'input') } } },
    };
  return {};
}

function success(d: RouteDeclaration): Record<string, unknown> {
  const r = d.response ?? {};
  const content = {
    ...(r.json ? { 'application/json': { schema: jsonSchema(r.json, 'output') } } : {}),
    ...Object.fromEntries((r.contentType ?? []).map((type) => [type, {}])),
  };
  const hasContent = Object.keys(content).length > 0;
  return { [String(r.status ?? 200)]: { description: r.description ?? 'OK', ...(hasContent ? { content } : {}) } };
}

export function openApiDocument(modules: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { path, method, declaration: d } of declaredRoutes(modules)) {
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      summary: d.summary,
      description: accessText(d),
      parameters: parameters(d, path),
      ...requestBody(d),
      responses: {
        ...success(d),
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Face-recognition attendance API',
      version: '1.0.0',
      description: 'Session cookie auth (Auth.js); sign in at /login.',
    },
    paths,
    components: { schemas: { Error: ERROR_SCHEMA } },
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: {
          type: 'string',
          description: "A sentence in the caller's language (lang cookie, else Accept-Language: en or id)",
        },
        fields: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'One sentence per request field that needs correcting',
        },
        details: { type: 'object' },
      },
    },
  },
};
