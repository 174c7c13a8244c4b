/**
 * Camera URLs carry credentials (`http://user:pass@host/stream`). Creating and editing a camera through
 * the real API writes audit entries; neither the stored row nor what /audit shows holds the password.
 */
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { UserRole } from '@/db/schema';
import { listAuditFor, writeAudit } from '@/lib/data/audit';
import { listAuditLog } from '@/lib/data/audit-log';
import { makeUser } from '../factories';
import { useThrowawayDatabase } from './throwaway-db';

let signedIn: { id: string; role: UserRole; email: string } | null = null;
vi.mock('next-auth', async (orig) => ({
  ...(await orig<object>()),
  getServerSession: async () => (signedIn ? { user: signedIn } : null),
}));

const db = useThrowawayDatabase();
let pool: Pool | undefined;
const q = async (sql: string, params: unknown[] = []) =>
  (pool ??= createPool({ uri: db.url(), connectionLimit: 2 })).query(sql, params);
afterAll(async () => {
  await pool?.end();
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
const send = (method: string, body: unknown) =>
  new Request('http://test/api/cameras', {
    method,
    body: JSON.stringify(body),
    headers: { origin: 'http://test', 'content-type': 'application/json' },
  });

describe('audit details are redacted before they are written', () => {
  it('a camera created and edited with user:pass in its stream URL: audit_log and /audit never hold the password', async () => {
    const admin = await makeUser({ role: 'admin' });
    signedIn = { id: admin.userId, role: 'admin', email: admin.email };
    const list = (await import('@/app/api/cameras/route')) as unknown as { POST: Handler };
    const one = (await import('@/app/api/cameras/[cameraId]/route')) as unknown as { PATCH: Handler };

    const created = await list.POST(
      send('POST', { name: 'Audit cam', mode: 'pull', streamUrl: 'http://user:pass@host:81/stream' }),
      { params: Promise.resolve({}) },
    );
    expect(created.status).toBe(201);
    const { cameraId } = ((await created.json()) as { camera: { cameraId: string } }).camera;
    const edited = await one.PATCH(
      send('PATCH', {
        streamUrl: 'http://admin:s3cretPW@host:81/stream?token=tok3n',
        snapshotUrl: 'http://admin:s3cretPW@host:81/capture',
      }),
      { params: Promise.resolve({ cameraId }) },
    );
    expect(edited.status, await edited.clone().text()).toBe(200);

    const [rows] = (await q('SELECT action, CAST(details AS CHAR) AS details FROM audit_log WHERE entity_id = ?', [
      cameraId,
    ])) as unknown as [{ action: string; details: string }[]];
    expect(rows.map((r) => r.action).sort()).toEqual(['camera.create', 'camera.update']);
    const stored = rows.map((r) => r.details).join('\n');
    for (const secret of ['pass@', 's3cretPW', 'tok3n']) expect(stored).not.toContain(secret);
    // What was changed is still on record, only the credentials are not.
    expect(stored).toContain('http://***@host:81/stream?token=***');
    expect(stored).toContain('http://***@host:81/capture');

    const page = await listAuditLog({ action: 'camera.update' });
    expect(JSON.stringify(page.rows)).not.toContain('s3cretPW');
  });

  it('rows written before the fix are redacted when read (the /audit page and per-entity lists)', async () => {
    const id = await writeAudit({ actorUserId: null, action: 'camera.update', entity: 'cameras', entityId: 'old-cam' });
    await q('UPDATE audit_log SET details = ? WHERE audit_id = ?', [
      JSON.stringify({ streamUrl: 'rtsp://old:leakedPW@10.0.0.9/live' }),
      id,
    ]);
    const page = await listAuditLog({ action: 'camera.update' });
    expect(page.rows.find((r) => r.auditId === id)?.details).toEqual({ streamUrl: 'rtsp://***@10.0.0.9/live' });
    expect(JSON.stringify(await listAuditFor('cameras', 'old-cam'))).not.toContain('leakedPW');
  });
});
