import 'server-only';
import { sql } from 'drizzle-orm';
import { runDb } from '@/db/client';

/**
 * Claims `eventKey` for `workerId`: true for the one worker whose insert lands, false for every
 * other (the key is the primary key). Whoever gets true does the work; nobody does it twice.
 */
export async function claimEvent(eventKey: string, workerId: string): Promise<boolean> {
  return runDb('events.claim', async (db) => {
    const [r] = (await db.execute(
      sql`INSERT IGNORE INTO event_claims (event_key, claimed_by) VALUES (${eventKey.slice(0, 191)}, ${workerId})`,
    )) as unknown as [{ affectedRows: number }];
    return r.affectedRows === 1;
  });
}

/** Forgets claims older than `days` (their events are long past any worker's look-back). */
export async function purgeEventClaims(days: number): Promise<number> {
  return runDb('events.purge', async (db) => {
    const [r] = (await db.execute(
      sql`DELETE FROM event_claims WHERE created_at < NOW(3) - INTERVAL ${days} DAY`,
    )) as unknown as [{ affectedRows: number }];
    return r.affectedRows;
  });
}
