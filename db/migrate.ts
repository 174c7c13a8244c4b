import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { env } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { runScript } from './cli';
import { createDatabaseIfMissing } from './create-database';
import { createDbClient } from './client';

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Creates the database if needed, then applies pending drizzle migrations (a no-op when up to date). */
export async function runMigrations(url: string): Promise<{ created: boolean }> {
  const created = await createDatabaseIfMissing(url);
  const client = createDbClient(url, 1);
  try {
    await migrate(client.db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.close();
  }
  return { created };
}

async function main(): Promise<void> {
  loadEnvFiles();
  const url = env().DATABASE_URL;
  const { created } = await runMigrations(url);
  const name = new URL(url).pathname.slice(1);
  console.log(
    `${created ? `Created database "${name}" and applied` : `Database "${name}": applied`} migrations (up to date).`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await runScript('db:migrate', main, () => env().DATABASE_URL);
}
