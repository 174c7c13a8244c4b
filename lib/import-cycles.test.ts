import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * lib/ is layered by folder (lib/data at the bottom, services above it): a cycle between two
 * folders means neither can be understood, tested or moved without the other. Nodes are the
 * folders under lib/ and the top-level lib/*.ts files; tests are leaves and not counted.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const staticFrom = /^\s*(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const bareImport = /^\s*import\s*['"]([^'"]+)['"]/gm;
const dynamicImport = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

export function specifiers(source: string): string[] {
  return [staticFrom, bareImport, dynamicImport].flatMap((re) => [...source.matchAll(re)].map((m) => m[1]!));
}

/** The lib node a repo-relative path belongs to: `lib/data` for lib/data/…, `lib/env.ts` for lib/env(.ts). */
export function nodeOf(rel: string): string | null {
  const parts = rel.split('/');
  if (parts[0] !== 'lib' || parts.length < 2) return null;
  if (parts.length > 2 || (existsSync(path.join(root, rel)) && statSync(path.join(root, rel)).isDirectory()))
    return `lib/${parts[1]}`;
  return `lib/${parts[1]!.replace(/\.(ts|js)$/, '')}.ts`;
}

function resolveSpecifier(fromRel: string, spec: string): string | null {
  if (spec.startsWith('@/')) return spec.slice(2);
  if (spec.startsWith('.')) return path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec));
  return null;
}

type Edge = { from: string; to: string; file: string; spec: string };

function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(path.join(root, 'lib'))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const from = nodeOf(rel)!;
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(rel, spec);
      const to = target && nodeOf(target);
      if (to && to !== from) edges.push({ from, to, file: rel, spec });
    }
  }
  return edges;
}

/** Strongly connected components with more than one node (Tarjan): each is at least one cycle. */
export function cycles(edges: readonly Pick<Edge, 'from' | 'to'>[]): string[][] {
  const out = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!out.has(e.from)) out.set(e.from, new Set());
    if (!out.has(e.to)) out.set(e.to, new Set());
    out.get(e.from)!.add(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...out.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles between lib folders', () => {
  it('reads import, export-from, side-effect and dynamic import specifiers', () => {
    const source = [
      "import 'server-only';",
      "import { a, type B } from '@/lib/data/x';",
      'import {\n  c,\n  d,\n} from "./y";',
      "export { e } from '../z';",
      "export type * from './t';",
      "const m = await import('@/lib/face/engine');",
      "export const label = 'not an import';",
    ].join('\n');
    expect(specifiers(source).sort()).toEqual(
      ['../z', './t', './y', '@/lib/data/x', '@/lib/face/engine', 'server-only'].sort(),
    );
  });

  it('maps paths to folder nodes and top-level file nodes', () => {
    expect(nodeOf('lib/face/keypoints/opencv')).toBe('lib/face');
    expect(nodeOf('lib/env')).toBe('lib/env.ts');
    expect(nodeOf('lib/env.ts')).toBe('lib/env.ts');
    expect(nodeOf('lib/data')).toBe('lib/data');
    expect(nodeOf('db/client')).toBeNull();
  });

  it('finds a cycle and ignores a chain', () => {
    expect(
      cycles([
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ]),
    ).toEqual([]);
    expect(
      cycles([
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'c', to: 'd' },
      ]),
    ).toEqual([['a', 'b', 'c']]);
  });

  it('has none in lib/', () => {
    const edges = folderEdges();
    const report = cycles(edges).map((component) => {
      const inside = edges.filter((e) => component.includes(e.from) && component.includes(e.to));
      const lines = [...new Set(inside.map((e) => `  ${e.from} → ${e.to}   (${e.file}: '${e.spec}')`))].sort();
      return [`cycle among ${component.join(', ')}:`, ...lines].join('\n');
    });
    expect(report, `\n${report.join('\n\n')}\n`).toEqual([]);
  });
});
