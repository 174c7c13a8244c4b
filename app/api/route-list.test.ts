import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredRoutes } from '@/lib/dashboard/openapi';
import { API_ROUTES } from './route-list';

/** `students/[studentId]/route.ts` → `/api/students/{studentId}` (a catch-all `[...x]` → `{x}`). */
const urlPath = (file: string) => `/api/${path.dirname(file)}`.replace(/\[(?:\.\.\.)?(\w+)\]/g, '{$1}');

const routeFiles = (readdirSync(path.resolve('app/api'), { recursive: true }) as string[])
  .filter((f) => path.basename(f) === 'route.ts')
  .sort();

describe('API route list', () => {
  it('holds every route file under app/api, under its URL path', async () => {
    expect(routeFiles.length).toBeGreaterThan(50);
    expect(Object.keys(API_ROUTES).sort()).toEqual(routeFiles.map(urlPath).sort());
    for (const file of routeFiles) {
      const mod = await import(/* @vite-ignore */ `@/app/api/${file.replace(/\.ts$/, '')}`);
      expect(API_ROUTES[urlPath(file)], file).toBe(mod);
    }
  });

  it("every handler but Auth.js's is declared by route(), with a summary and a response", () => {
    const exported = Object.entries(API_ROUTES).flatMap(([p, mod]) =>
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m in mod).map((m) => `${m} ${p}`),
    );
    const declared = declaredRoutes(API_ROUTES);
    expect(exported.filter((r) => !declared.some((d) => `${d.method} ${d.path}` === r))).toEqual([
      'GET /api/auth/{nextauth}',
      'POST /api/auth/{nextauth}',
    ]);
    const incomplete = declared
      .filter((d) => !d.declaration.summary || !d.declaration.response)
      .map((d) => `${d.method} ${d.path}`);
    expect(incomplete).toEqual([]);
  });

  it('declares path parameters named as the path names them', () => {
    const wrong = declaredRoutes(API_ROUTES).flatMap(({ method, path: p, declaration }) => {
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const shape = (declaration.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      const declared = Object.keys(shape).sort();
      return JSON.stringify(inPath) === JSON.stringify(declared) ? [] : [`${method} ${p}: ${declared.join(',')}`];
    });
    expect(wrong).toEqual([]);
  });
});
