import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest `<dir>/<relative>` that holds `marker`, walking up from the working directory, then
 * from this file (the app may run from .next/standalone or a worker thread). Model files are data,
 * not modules, so require.resolve is no help: the Next.js bundler rewrites it into a module id.
 * The turbopackIgnore comments keep Next's file tracing from reading this search as "any file in the
 * project" and copying the whole repository, data/ included, into .next/standalone; the files it
 * finds are listed in next.config.ts's outputFileTracingIncludes instead.
 */
export function findUp(relative: string, marker: string): string | null {
  const here = import.meta.url.startsWith('file:') ? path.dirname(fileURLToPath(import.meta.url)) : process.cwd();
  for (const start of [process.cwd(), here]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(/* turbopackIgnore: true */ dir, relative);
      if (existsSync(/* turbopackIgnore: true */ path.join(/* turbopackIgnore: true */ candidate, marker)))
        return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  return null;
}
