import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest `<dir>/<relative>` that holds `marker`, walking up from the working directory, then
 * from this file (the app may run from .next/standalone or a worker thread). Model files are data,
 * not modules, so require.resolve is no help: the Next.js bundler rewrites it into a module id.
 */
export function findUp(relative: string, marker: string): string | null {
  const here = import.meta.url.startsWith('file:') ? path.dirname(fileURLToPath(import.meta.url)) : process.cwd();
  for (const start of [process.cwd(), here]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, relative);
      if (existsSync(path.join(candidate, marker))) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  return null;
}
