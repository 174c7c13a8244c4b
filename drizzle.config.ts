import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` diffs db/schema against db/migrations and writes a new SQL migration.
export default defineConfig({
  dialect: 'mysql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
});
