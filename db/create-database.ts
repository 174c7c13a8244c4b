import { createConnection } from 'mysql2/promise';

/** Splits a mysql:// URL into the server URL (no database) and the database name. */
export function splitDatabaseUrl(url: string): { serverUrl: string; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
    throw new Error(`DATABASE_URL: database name "${database}" must be 1-64 letters, digits, _ or $`);
  }
  parsed.pathname = '/';
  return { serverUrl: parsed.toString(), database };
}

/** CREATE DATABASE IF NOT EXISTS with utf8mb4; returns true when it was created. */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const { serverUrl, database } = splitDatabaseUrl(url);
  const conn = await createConnection({ uri: serverUrl, connectTimeout: 5_000 });
  try {
    const [rows] = await conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      database,
    ]);
    if ((rows as unknown[]).length > 0) return false;
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return true;
  } finally {
    await conn.end();
  }
}

/** DROP DATABASE IF EXISTS (tests and CI clean-up). */
export async function dropDatabase(url: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(url);
  const conn = await createConnection({ uri: serverUrl, connectTimeout: 5_000 });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}
