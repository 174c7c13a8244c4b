/**
 * Face-feature backups through ObjectStorage (local disk or S3): create, list, restore, prune.
 *
 * Crash safety: the gzipped data object is written first and its manifest LAST, and only backups with a
 * manifest are listed or restored — so an interrupted backup is never mistaken for a complete one.
 * Prune deletes manifests before data, for the same reason, and sweeps data left by crashed runs.
 */
import { countFaceDataRows, insertBackupRows, readBackupRows } from '@/lib/data/backup-rows';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import { sha256Hex } from '@/lib/sha256';
import type { ObjectStorage } from '@/lib/storage';
import {
  BACKUP_FORMAT,
  BACKUP_PREFIX,
  BACKUP_VERSION,
  backupIdOf,
  backupTime,
  dataKey,
  decodeBackup,
  encodeBackup,
  manifestKey,
  manifestSchema,
  newBackupId,
  type BackupManifest,
} from './backup-format';

/** What `backup create --json` prints and `backup list --json` lists. */
export interface BackupSummary {
  backup_id: string;
  key: string;
  students: number;
  templates: number;
  bytes: number;
}

const summary = (m: BackupManifest): BackupSummary => ({
  backup_id: m.backup_id,
  key: m.key,
  students: m.students,
  templates: m.templates,
  bytes: m.bytes,
});

export async function createBackup(storage: ObjectStorage, now = new Date()): Promise<BackupManifest> {
  const backupId = newBackupId(now);
  const rows = await readBackupRows();
  const bytes = encodeBackup(
    { format: BACKUP_FORMAT, version: BACKUP_VERSION, backup_id: backupId, created_at: now.toISOString(), ...rows },
    env().BACKUP_KEY,
  );
  const key = dataKey(backupId);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    backup_id: backupId,
    key,
    created_at: now.toISOString(),
    students: rows.students.length,
    templates: rows.face_templates.length,
    photos: rows.face_photos.length,
    bytes: bytes.byteLength,
    sha256: sha256Hex(bytes),
  };
  await storage.put(key, bytes, 'application/gzip');
  try {
    await storage.put(manifestKey(backupId), Buffer.from(JSON.stringify(manifest, null, 2)), 'application/json');
  } catch (err) {
    // Without its manifest the data is an unfinished backup: remove it now if we can (prune sweeps it otherwise).
    await storage.delete(key).catch(() => undefined);
    throw err;
  }
  return manifest;
}

async function readManifest(storage: ObjectStorage, backupId: string): Promise<BackupManifest | null> {
  const raw = await storage.get(manifestKey(backupId));
  if (!raw) return null;
  const parsed = manifestSchema.safeParse(JSON.parse(raw.toString('utf8')));
  return parsed.success ? parsed.data : null;
}

/** Complete backups (those with a readable manifest), newest first. */
export async function listBackupManifests(storage: ObjectStorage): Promise<BackupManifest[]> {
  const ids = (await storage.list(BACKUP_PREFIX))
    .map(backupIdOf)
    .filter((k) => k?.kind === 'manifest')
    .map((k) => k!.id);
  const manifests = await Promise.all(ids.map((id) => readManifest(storage, id)));
  return manifests
    .filter((m): m is BackupManifest => m !== null)
    .sort((a, b) => b.backup_id.localeCompare(a.backup_id));
}

export async function listBackups(storage: ObjectStorage): Promise<BackupSummary[]> {
  return (await listBackupManifests(storage)).map(summary);
}

export interface RestoreResult extends BackupSummary {
  courses: number;
  photos: number;
}

/**
 * Restores a backup (the newest when `backupId` is omitted) into an empty database: original ids,
 * timestamps and embedding bytes, so recognition behaves exactly as when the backup was made.
 * Photo files are not in the backup; their keys are, and they stay wherever the storage keeps them.
 */
export async function restoreBackup(storage: ObjectStorage, backupId?: string): Promise<RestoreResult> {
  const manifest = backupId ? await readManifest(storage, backupId) : (await listBackupManifests(storage))[0];
  if (!manifest)
    throw new AppError(
      'NOT_FOUND',
      backupId ? `No complete backup "${backupId}" (see: backup list)` : 'There is no complete backup to restore',
    );
  if (manifest.version > BACKUP_VERSION)
    throw new AppError(
      'VALIDATION',
      `Backup ${manifest.backup_id} has format version ${manifest.version}; this build reads up to ${BACKUP_VERSION}`,
    );
  const existing = await countFaceDataRows();
  if (existing.students + existing.courses + existing.templates > 0) {
    throw new AppError(
      'CONFLICT',
      `Restore needs an empty database; this one has ${existing.students} student(s), ${existing.courses} course(s), ${existing.templates} template(s)`,
    );
  }
  const bytes = await storage.get(manifest.key);
  if (!bytes) throw new AppError('NOT_FOUND', `Backup ${manifest.backup_id}: ${manifest.key} is missing from storage`);
  let payload;
  try {
    payload = decodeBackup(bytes, manifest, { secret: env().BACKUP_KEY });
  } catch (err) {
    throw new AppError('VALIDATION', (err as Error).message);
  }
  await insertBackupRows(payload);
  return { ...summary(manifest), courses: payload.courses.length, photos: payload.face_photos.length };
}

export interface PruneResult {
  deleted: string[];
  orphans: string[];
}

/**
 * Keeps the newest `keep` complete backups and deletes the rest — which is how a student's erased
 * biometrics leave the backups: the copies age out. Data objects without a manifest older than
 * `orphanGraceMs` (a crashed or failed run; younger ones may be a backup still being written) go too.
 */
export async function pruneBackups(
  storage: ObjectStorage,
  keep: number,
  opts: { now?: Date; orphanGraceMs?: number } = {},
): Promise<PruneResult> {
  const now = opts.now ?? new Date();
  const grace = opts.orphanGraceMs ?? 60 * 60_000;
  const manifests = await listBackupManifests(storage);
  const deleted: string[] = [];
  for (const m of manifests.slice(Math.max(1, keep))) {
    await storage.delete(manifestKey(m.backup_id));
    await storage.delete(m.key);
    deleted.push(m.backup_id);
  }
  const complete = new Set(manifests.slice(0, Math.max(1, keep)).map((m) => m.backup_id));
  const orphans: string[] = [];
  for (const key of await storage.list(BACKUP_PREFIX)) {
    const k = backupIdOf(key);
    if (!k || k.kind !== 'data' || complete.has(k.id) || deleted.includes(k.id)) continue;
    if (now.getTime() - backupTime(k.id).getTime() < grace) continue;
    if (await storage.exists(manifestKey(k.id))) continue;
    await storage.delete(key);
    orphans.push(k.id);
  }
  return { deleted, orphans };
}

/** Create then prune: what the schedule and an erasure run. */
export async function rotateBackups(
  storage: ObjectStorage,
  keep: number,
): Promise<{ manifest: BackupManifest; pruned: PruneResult }> {
  const manifest = await createBackup(storage);
  const pruned = await pruneBackups(storage, keep);
  createLogger('backup').info(
    {
      backupId: manifest.backup_id,
      bytes: manifest.bytes,
      templates: manifest.templates,
      pruned: pruned.deleted.length,
      orphans: pruned.orphans.length,
    },
    'backup rotated',
  );
  return { manifest, pruned };
}

/**
 * After a student's biometrics are erased: when scheduled backups are on (BACKUP_INTERVAL_HOURS > 0),
 * make a fresh backup without them and prune at once, so the newest backup never holds erased data and
 * older copies age out after BACKUP_KEEP rotations. Never throws: the erasure itself already succeeded.
 */
export async function backupAfterErasure(storage: ObjectStorage): Promise<BackupManifest | null> {
  const settings = env();
  if (settings.BACKUP_INTERVAL_HOURS <= 0) return null;
  try {
    return (await rotateBackups(storage, settings.BACKUP_KEEP)).manifest;
  } catch (err) {
    createLogger('backup').error(
      { err },
      'backup after biometrics erasure failed; the next scheduled backup will rotate',
    );
    return null;
  }
}

export { summary as backupSummary };
