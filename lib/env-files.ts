import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** KEY=VALUE lines; `#` comments, optional `export `, single or double quotes. No interpolation. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[m[1]!] = value;
  }
  return out;
}

/**
 * Loads `.env.local` then `.env` for tsx scripts and the worker (Next.js loads them itself).
 * Variables already in the environment win. Kept out of lib/env.ts so the web bundle never traces it.
 * (Own parser: process.loadEnvFile needs Node 20.12.)
 */
export function loadEnvFiles(dir = process.cwd(), target: Record<string, string | undefined> = process.env): void {
  for (const file of ['.env.local', '.env']) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    for (const [key, value] of Object.entries(parseDotenv(readFileSync(full, 'utf8')))) {
      if (target[key] === undefined) target[key] = value;
    }
  }
}
