import { setTimeout as sleep } from 'node:timers/promises';
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { backoffDelay } from '@/lib/backoff';
import { env } from '@/lib/env';
import { createLogger } from '@/lib/log';
import { dbRetriesTotal } from '@/lib/metrics';
import { driverError, isTransientDbError, mapDbError } from './errors';
import * as schema from './schema';

export type Db = MySql2Database<typeof schema>;
/** The handle `db.transaction(async (tx) => …)` gives its callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either: a query helper that works inside or outside a transaction takes this. */
export type DbOrTx = Db | Tx;

export interface DbClient {
  pool: Pool;
  db: Db;
  close(): Promise<void>;
}

/** Options shared by every pool; sessions run in UTC so NOW() matches the app's Date values. */
export function poolOptions(url: string, connectionLimit: number): PoolOptions {
  return {
    uri: url,
    connectionLimit,
    waitForConnections: true,
    enableKeepAlive: true,
    connectTimeout: 10_000,
    timezone: 'Z',
    supportBigNumbers: true,
    charset: 'utf8mb4',
  };
}

export function createDbClient(url: string, connectionLimit = 10): DbClient {
  const pool = createPool(poolOptions(url, connectionLimit));
  pool.pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'");
  });
  const db = drizzle({ client: pool, schema, mode: 'default' });
  return { pool, db, close: () => pool.end() };
}

let client: DbClient | undefined;

/** The process-wide client (pool size DB_POOL_SIZE), created on first use. */
export function getDbClient(): DbClient {
  client ??= createDbClient(env().DATABASE_URL, env().DB_POOL_SIZE);
  return client;
}

export function getDb(): Db {
  return getDbClient().db;
}

export async function closeDb(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.close();
}

/** SELECT 1 through the pool; throws if the server cannot be reached. */
export async function pingDb(): Promise<void> {
  await getDbClient().pool.query('SELECT 1');
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  code: string;
  error: unknown;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Names the operation in logs. */
  label?: string;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `fn`, retrying with exponential backoff (plus jitter) on transient errors: dropped or killed
 * connections, lock wait timeouts, deadlocks. Constraint errors and bugs are thrown at once.
 * `fn` must be safe to run again (idempotent, or a whole transaction).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 4, baseDelayMs = 50, maxDelayMs = 2_000, label = 'db', signal, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > retries || !isTransientDbError(error) || signal?.aborted) throw error;
      const d = driverError(error);
      const code = d?.code ?? String(d?.errno ?? 'unknown');
      const delayMs = backoffDelay(attempt - 1, { baseMs: baseDelayMs, maxMs: maxDelayMs });
      dbRetriesTotal.inc({ reason: code });
      createLogger('db').warn({ label, attempt, code, delayMs }, 'retrying database operation');
      onRetry?.({ attempt, delayMs, code, error });
      await sleep(delayMs, undefined, { signal });
    }
  }
}

/**
 * The usual way lib/data runs a query: retried on transient errors, constraint errors mapped to AppError.
 */
export async function runDb<T>(
  label: string,
  fn: (db: Db) => Promise<T>,
  options: Omit<RetryOptions, 'label'> = {},
): Promise<T> {
  try {
    return await withRetry(() => fn(getDb()), { ...options, label });
  } catch (err) {
    throw mapDbError(err);
  }
}
