import 'server-only';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { runDb } from '@/db/client';
import { env } from '@/lib/env';
import { auditLog, cameras, users, type AuditEntry, type Camera } from '@/db/schema';

/**
 * A camera counts as online if it was seen within CAMERA_OFFLINE_MINUTES (the worker touches
 * last_seen_at often): the same window after which the worker announces it offline.
 */
export function cameraOnlineWindowMs(): number {
  return env().CAMERA_OFFLINE_MINUTES * 60_000;
}

export interface CameraState extends Omit<Camera, 'tokenHash'> {
  online: boolean;
}

export function isCameraOnline(camera: Pick<Camera, 'lastSeenAt'>, now = new Date()): boolean {
  return camera.lastSeenAt !== null && now.getTime() - camera.lastSeenAt.getTime() <= cameraOnlineWindowMs();
}

/** Cameras without their token hash, with online/offline derived from last_seen_at. */
export async function listCameraStates(now = new Date()): Promise<CameraState[]> {
  const rows = await runDb('cameras.states', (db) => db.select().from(cameras).orderBy(asc(cameras.name)));
  return rows.map(({ tokenHash: _hidden, ...c }) => ({ ...c, online: isCameraOnline(c, now) }));
}

export interface AuditRow extends AuditEntry {
  actorEmail: string | null;
}

export async function listAuditLog(opts: { page?: number; pageSize?: number }): Promise<{ rows: AuditRow[]; total: number; page: number; pageSize: number }> {
  const page = Math.max(1, opts.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, opts.pageSize ?? 50));
  return runDb('audit.list', async (db) => {
    const [count] = await db.select({ n: sql<number>`count(*)` }).from(auditLog);
    const rows = await db
      .select({ entry: auditLog, actorEmail: users.email })
      .from(auditLog)
      .leftJoin(users, eq(users.userId, auditLog.actorUserId))
      .orderBy(desc(auditLog.createdAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    return { rows: rows.map((r) => ({ ...r.entry, actorEmail: r.actorEmail })), total: Number(count?.n ?? 0), page, pageSize };
  });
}
