import { sql } from 'drizzle-orm';
import { createConnection } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { getDb, withRetry, type RetryInfo } from '@/db/client';
import { students } from '@/db/schema';
import { dbRetriesTotal } from '@/lib/metrics';
import { useThrowawayDatabase } from './throwaway-db';

const db = useThrowawayDatabase();

async function retryCount(): Promise<number> {
  const metric = await dbRetriesTotal.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

/** From a second connection: waits for `marker` to be running, then KILL CONNECTION on it (once). */
async function killWhenRunning(marker: string): Promise<number> {
  const admin = await createConnection({ uri: db.url() });
  try {
    for (let i = 0; i < 200; i++) {
      const [rows] = await admin.query(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()',
        [`${marker}%`],
      );
      const id = (rows as { id: number }[])[0]?.id;
      if (id !== undefined) {
        await admin.query(`KILL CONNECTION ${Number(id)}`);
        return id;
      }
      await sleep(25);
    }
    throw new Error('query never showed up in the process list');
  } finally {
    await admin.end();
  }
}

describe('withRetry against a real server', () => {
  it('retries a query whose connection is killed mid-query, and counts the retry', async () => {
    const marker = 'SELECT SLEEP(5) AS retry_probe';
    const retries: RetryInfo[] = [];
    const before = await retryCount();
    const started = Date.now();

    const [result, killedId] = await Promise.all([
      withRetry(
        async (attempt) => {
          // The retried attempt sleeps briefly so the test stays fast; the first one is killed.
          const query = attempt === 1 ? sql.raw(marker) : sql.raw('SELECT SLEEP(0.1) AS retry_probe');
          const [rows] = await getDb().execute(query);
          return { attempt, rows };
        },
        { label: 'test.kill', onRetry: (info) => retries.push(info) },
      ),
      killWhenRunning(marker),
    ]);

    expect(killedId).toBeGreaterThan(0);
    expect(result.attempt).toBe(2);
    expect(result.rows).toEqual([{ retry_probe: 0 }]);
    expect(retries).toHaveLength(1);
    expect(['ER_CONNECTION_KILLED', 'PROTOCOL_CONNECTION_LOST', '1927']).toContain(retries[0]!.code);
    expect(await retryCount()).toBe(before + 1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not retry constraint errors', async () => {
    const studentNumber = 'DUP-1';
    await getDb().insert(students).values({ name: 'First', studentNumber });
    const before = await retryCount();
    let attempts = 0;
    const insertDuplicate = withRetry(async () => {
      attempts++;
      await getDb().insert(students).values({ name: 'Second', studentNumber });
    });
    await expect(insertDuplicate).rejects.toMatchObject({ cause: { code: 'ER_DUP_ENTRY', errno: 1062 } });
    expect(attempts).toBe(1);
    expect(await retryCount()).toBe(before);
  });

  it('gives up after the configured number of retries', async () => {
    let attempts = 0;
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
    });
    await expect(
      withRetry(
        async () => {
          attempts++;
          throw lost;
        },
        { retries: 2, baseDelayMs: 1 },
      ),
    ).rejects.toBe(lost);
    expect(attempts).toBe(3);
  });
});
