import { expect } from 'vitest';
import { z } from 'zod';
import type { RouteDeclaration } from '@/lib/dashboard/route-declaration';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** Fields of `value` the schema does not name (`a.b[0].c`): an answer must not carry what the document leaves out. */
export function undocumentedFields(schema: JsonSchema, value: unknown, at = ''): string[] {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const each = options.map((o) => undocumentedFields(o, value, at));
    return each.reduce((best, e) => (e.length < best.length ? e : best));
  }
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => undocumentedFields(schema.items!, v, `${at}[${i}]`)) : [];
  if (value === null || typeof value !== 'object' || !schema.properties) return [];
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : null;
  return Object.entries(value).flatMap(([key, v]) => {
    const field = schema.properties![key] ?? extra;
    return field ? undocumentedFields(field, v, `${at}.${key}`) : [`${at}.${key}`];
  });
}

/**
 * A successful answer is what the route declares: its status, and either a JSON body its schema
 * accepts with no field the schema leaves out, or a body of a declared content type.
 */
export async function expectDeclaredAnswer(label: string, declaration: RouteDeclaration, res: Response): Promise<void> {
  const declared = declaration.response ?? {};
  expect(res.status, `${label} status`).toBe(declared.status ?? 200);
  if (res.status === 204) return;
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type !== 'application/json' || !declared.json) {
    expect(declared.contentType ?? [], `${label} content type`).toContain(type);
    return;
  }
  const body: unknown = await res.clone().json();
  const parsed = declared.json.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, `${label} body`).toEqual([]);
  const schema = z.toJSONSchema(declared.json, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  expect(undocumentedFields(schema, body), `${label}: fields missing from the declared response`).toEqual([]);
}
