import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Loads `.env.local` then `.env` for tsx scripts and the worker (Next.js loads them itself).
 * Variables already in the environment win. Kept out of lib/env.ts so the web bundle never traces it.
 */
export function loadEnvFiles(dir = process.cwd()): void {
  for (const file of ['.env.local', '.env']) {
    const full = path.join(dir, file);
    if (existsSync(full)) process.loadEnvFile(full);
  }
}
