import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMySQLDrizzleJson, generateMySQLMigration } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import * as schema from './schema';

const migrations = fileURLToPath(new URL('./migrations', import.meta.url));

describe('db/migrations', () => {
  it('match db/schema (after editing the schema, run `npm run db:generate` and commit the result)', async () => {
    const journal = JSON.parse(readFileSync(path.join(migrations, 'meta/_journal.json'), 'utf8')) as {
      entries: { idx: number }[];
    };
    const last = journal.entries.at(-1)!;
    const snapshot = JSON.parse(
      readFileSync(path.join(migrations, 'meta', `${String(last.idx).padStart(4, '0')}_snapshot.json`), 'utf8'),
    );
    const current = await generateMySQLDrizzleJson(schema as Record<string, unknown>);
    expect(await generateMySQLMigration(snapshot, current)).toEqual([]);
  });
});
